"""WeCom callback security with wechatpy's `wechatpy.enterprise.crypto.WeChatCrypto`.

Every callback carries `msg_signature`, `timestamp` and `nonce` in its query. The GET that verifies
the URL adds `echostr` (encrypted; the plaintext is the answer); a POST's body is
`<xml><ToUserName/><AgentID/><Encrypt/></xml>`. The signature is SHA-1 over the sorted token,
timestamp, nonce and ciphertext; the ciphertext is AES-256-CBC under the EncodingAESKey and ends
with the corp id, which wechatpy checks. `Refused` is what the callback answers 403 to.
"""
from __future__ import annotations

import time
from collections.abc import Callable

from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException


class Refused(Exception):
    """A callback that is not from WeCom, or not for this app: forged, replayed or unreadable."""


class CallbackCrypto:
    def __init__(self, token: str, encoding_aes_key: str, corp_id: str, *, max_age_s: float = 300.0,
                 clock: Callable[[], float] = time.time) -> None:
        self._crypto = WeChatCrypto(token, encoding_aes_key, corp_id)
        self.max_age_s, self.clock = max_age_s, clock

    def verify_url(self, signature: str, timestamp: str, nonce: str, echostr: str) -> str:
        """The plaintext echostr to answer the URL verification with."""
        self._fresh(timestamp)
        return self._guard(lambda: self._crypto.check_signature(signature, timestamp, nonce, echostr))

    def decrypt(self, body: bytes | str, signature: str, timestamp: str, nonce: str) -> str:
        """The callback's plaintext XML."""
        self._fresh(timestamp)
        return self._guard(lambda: self._crypto.decrypt_message(body, signature, timestamp, nonce))

    def _fresh(self, timestamp: str) -> None:
        """A signed request is only good for a few minutes: an old one is a replay."""
        try:
            age = self.clock() - int(timestamp)
        except (TypeError, ValueError):
            raise Refused("timestamp is not a number") from None
        if abs(age) > self.max_age_s:
            raise Refused(f"timestamp is {int(age)} s off")

    @staticmethod
    def _guard(call: Callable[[], bytes | str]) -> str:
        try:
            plain = call()
        except InvalidSignatureException:
            raise Refused("signature does not match") from None
        except Exception as exc:  # bad base64, padding, corp id, XML: all mean "not from WeCom"
            raise Refused(f"cannot decrypt: {exc.__class__.__name__}") from None
        return plain.decode("utf-8") if isinstance(plain, bytes) else plain
