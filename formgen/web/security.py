"""Who may use the page and how requests are checked: the access password or token on the office
network, CSRF tokens on every state-changing request, and headers that keep the page to itself."""
from __future__ import annotations

import hmac
import ipaddress
import secrets
from typing import Optional

from flask import Flask, abort, g, redirect, request, session, url_for

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
OPEN_ENDPOINTS = {"routes.login", "routes.favicon", "static"}  # what a visitor who has not signed in may see


def is_loopback(host: str) -> bool:
    """Whether the server listens only on this PC (127.0.0.1, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def access_secret(host: str, password: Optional[str]) -> tuple[Optional[str], bool]:
    """(the secret a visitor must give, whether it was generated): none on this PC alone; on the office
    network the password given, else a random token printed at start."""
    if password:
        return password, False
    if is_loopback(host):
        return None, False
    return secrets.token_urlsafe(12), True


def session_id() -> str:
    """The visitor's own id: every upload, job and download belongs to one."""
    if "sid" not in session:
        session["sid"] = secrets.token_hex(16)
        session.permanent = True
    return session["sid"]


def csrf_token() -> str:
    if CSRF_FIELD not in session:
        session[CSRF_FIELD] = secrets.token_urlsafe(24)
    return session[CSRF_FIELD]


def signed_in(secret: Optional[str]) -> bool:
    return secret is None or session.get("signed_in") is True


def check_secret(given: str, secret: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), secret.encode("utf-8"))


def install(app: Flask) -> None:
    """Checks run before every request, and headers added to every response."""

    @app.before_request
    def _guard():
        secret = app.config["ACCESS_SECRET"]
        token = request.args.get("token")
        if secret and token and check_secret(token, secret):
            session.clear()
            session["signed_in"] = True
            session_id()
            return redirect(url_for("routes.home"))  # the token leaves the address bar
        if request.endpoint not in OPEN_ENDPOINTS and not signed_in(secret):
            return redirect(url_for("routes.login"))
        g.sid = session_id()
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            given = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD) or ""
            expected = session.get(CSRF_FIELD)
            if not expected or not hmac.compare_digest(given, expected):
                abort(400, description="页面已过期或请求来源不明（安全校验未通过）；请刷新页面后重试")

    @app.after_request
    def _headers(response):
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.jinja_env.globals["csrf_token"] = csrf_token
