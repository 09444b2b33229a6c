"""The four-principle scoring: pure functions, no Django. Being written (issue 4)."""
