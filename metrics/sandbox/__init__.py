"""The platform sandbox: Facebook/Instagram Graph, X v2 and YouTube Data v3 + Analytics v2, offline.

A real client works by swapping the host: https://HOST/... → http://<server>/sandbox/HOST/... for
graph.facebook.com, graph.instagram.com, api.x.com, api.twitter.com, www.googleapis.com,
youtube.googleapis.com and youtubeanalytics.googleapis.com (mounted when SANDBOX_ENABLED).

- synthetic.py: the data, pure functions of (ids, now). `settings.SANDBOX_NOW` (a datetime, tests
  only) pins the sandbox's clock; otherwise it is the real time.
- faults.py: SandboxFault knobs (`sandbox_fault_set(...)`, `sandbox_fault_clear(...)`), also in the
  admin.
- graph.py, x.py, youtube.py: the endpoints; common.py: JSON replies, tokens, usage counters.
- Tokens: any non-empty token is accepted. On X, a bearer token starting "AAAA" acts as app-only
  (public metrics only); any other acts as a user token (non_public/organic metrics for the last
  30 days). On YouTube, `mine=true` / `channel==MINE` mean the channel id found inside the OAuth
  token, else the first demo channel.
"""
