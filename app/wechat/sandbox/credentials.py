"""Credentials for the sandbox: fixed app ids, and key pairs generated once per instance.

The merchant key pair signs our Pay API requests; the platform key pair is the sandbox's
own (WeChat Pay's), signing its answers and notifications. Both live in the instance folder.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask

SANDBOX = {
    "WECHAT_OA_APPID": "wxsandbox0a000001",
    "WECHAT_OA_SECRET": "sandbox-oa-secret-0000000000000001",
    "WECHAT_OA_TOKEN": "fenxiaosandboxtoken",
    "WECHAT_OA_ENCODING_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
    "WECHAT_MP_APPID": "wxsandbox0b000002",
    "WECHAT_MP_SECRET": "sandbox-mp-secret-0000000000000002",
    "WECHAT_PAY_MCHID": "1900000109",
    "WECHAT_PAY_CERT_SERIAL_NO": "5157F09EFDC096DE15EBE81A47057A72SANDBOX0",
    "WECHAT_PAY_APIV3_KEY": "sandboxapiv3key00000000000000001",
    "WECHAT_PAY_PUBLIC_KEY_ID": "PUB_KEY_ID_0119000001092026SANDBOX",
}


def _key_pair(folder: Path, name: str) -> tuple[Path, Path]:
    """The pair's files, made once: workers starting together all end up with the first
    private key written (a hard link claims the name), and its public key derived from it."""
    private_path, public_path = folder / f"{name}_private.pem", folder / f"{name}_public.pem"
    if not private_path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        draft = folder / f".{name}_private.{os.getpid()}.pem"
        draft.write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        draft.chmod(0o600)
        with contextlib.suppress(FileExistsError):  # another worker claimed it first: use theirs
            os.link(draft, private_path)
        draft.unlink()
    if not public_path.exists():
        key = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
        draft = folder / f".{name}_public.{os.getpid()}.pem"
        draft.write_bytes(key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
        os.replace(draft, public_path)  # the same bytes whoever writes it
    return private_path, public_path


def apply_sandbox_credentials(app: Flask) -> None:
    """Point every WeChat base URL at the sandbox and fill in the credentials it knows."""
    for key, value in SANDBOX.items():
        app.config[key] = value
    folder = Path(app.config["INSTANCE_PATH"]) / "wechat_sandbox"
    merchant_private, merchant_public = _key_pair(folder, "merchant")
    platform_private, platform_public = _key_pair(folder, "platform")
    app.config.update(
        WECHAT_PAY_PRIVATE_KEY_PATH=str(merchant_private),
        WECHAT_PAY_PUBLIC_KEY_PATH=str(platform_public),
        SANDBOX_MERCHANT_PUBLIC_KEY_PATH=str(merchant_public),
        SANDBOX_PLATFORM_PRIVATE_KEY_PATH=str(platform_private),
    )
    base = app.config["PUBLIC_BASE_URL"].rstrip("/") + "/sandbox"
    app.config.update(
        WECHAT_API_BASE_URL=f"{base}/api",
        WECHAT_OPEN_BASE_URL=f"{base}/open",
        WECHAT_PAY_BASE_URL=f"{base}/mch",
    )
