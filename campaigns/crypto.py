"""Encryption of platform access tokens at rest (Fernet, keys from FIELD_ENCRYPTION_KEY)."""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class TokenUnreadable(Exception):  # noqa: N818 -- reads as what happened, like Django's DoesNotExist
    """No configured key decrypts a stored token (its key was dropped): a person must enter it again."""


def _fernet() -> MultiFernet:
    # MultiFernet encrypts with the first key and decrypts with any, so keys can be rotated.
    return MultiFernet([Fernet(key.encode()) for key in settings.FIELD_ENCRYPTION_KEYS])


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken:
        raise TokenUnreadable("none of the FIELD_ENCRYPTION_KEY keys decrypts the stored token") from None


def rotate(ciphertext: str) -> str:
    """The same token encrypted with the newest key (TokenUnreadable when no key reads it)."""
    try:
        return _fernet().rotate(ciphertext.encode()).decode()
    except InvalidToken:
        raise TokenUnreadable("none of the FIELD_ENCRYPTION_KEY keys decrypts the stored token") from None
