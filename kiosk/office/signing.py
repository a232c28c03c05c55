"""The one signed value the office still needs: the login form's CSRF token (itsdangerous).

Sessions need no signature: their cookie is a random id whose hash is a database row
(`kiosk.office.sessions`). The login form comes *before* there is a session, so its token
is a double-submit pair: the ``telpa_office_login`` cookie holds a random nonce, and the
form carries that nonce signed with the office's login-form key and a time stamp. A POST
to ``/login`` is accepted only when the form's token is a good signature of the cookie's
nonce, made less than `LOGIN_FORM_MAX_AGE` ago. Compared with a bare "form equals cookie"
check, a cookie planted by another site on the same domain is no longer enough to forge a
login, and a login page left open overnight is refused as out of date (the refusal page
carries a fresh form).

The key is 256 random bits made when the office app is built and kept only in its memory:
it is written nowhere, so neither the database nor a backup holds a signing key, and it
signs nothing else. A restart makes login pages opened before it out of date (the refusal
page carries a fresh form). One `kiosk office serve` process serves a database, so one
key is all there is.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from itsdangerous import BadData, TimestampSigner, URLSafeTimedSerializer

LOGIN_FORM_MAX_AGE = timedelta(hours=2)
_SALT = "telpa-office-login-form"


class LoginFormSigner:
    """Signs and checks login-form tokens with the office's key and clock."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        class ClockSigner(TimestampSigner):
            # Time stamps from the office's clock, so tests can move it.
            def get_timestamp(self) -> int:
                return int(clock().timestamp())

        self._serializer = URLSafeTimedSerializer(
            secrets.token_bytes(32), salt=_SALT, signer=ClockSigner
        )

    def token_for(self, nonce: str) -> str:
        """The form's token for the cookie's `nonce`."""
        return str(self._serializer.dumps(nonce))

    def matches(self, token: str, nonce: str) -> bool:
        """Whether `token` is a fresh, good signature of `nonce`."""
        if not token or not nonce or len(token) > 400:
            return False
        try:
            signed = self._serializer.loads(token, max_age=int(LOGIN_FORM_MAX_AGE.total_seconds()))
        except BadData:
            return False
        return isinstance(signed, str) and secrets.compare_digest(signed, nonce)
