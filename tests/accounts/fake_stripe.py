"""A small stateful Stripe on 127.0.0.1 for the billing tests, and Stripe-signed events.

localstripe runs on this Python but has no Checkout Sessions, Prices or customer
portal, which are what the site uses; this server answers those endpoints of
Stripe's v1 API (form-encoded requests, JSON answers, Stripe's error shape) and
keeps customers, sessions and subscriptions so that tests can move them along as
Stripe would (complete a checkout, renew, fail a payment, cancel) and get the
events Stripe would send. Events are signed as Stripe signs them:
Stripe-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<payload>">.
"""

import hashlib
import hmac
import itertools
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest

WEBHOOK_SECRET = "whsec_test_secret"
WEBHOOK_PATH = "/billing/stripe/webhook/"
DAY = 86400
MONTH = 30 * DAY
_ids = itertools.count(1)


def new_id(prefix: str) -> str:
    return f"{prefix}_test{next(_ids):06d}"


def decode_form(body: str) -> dict:
    """Stripe's form encoding (a[b][0][c]=v) to nested dicts; list indices stay string keys."""
    result: dict = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = re.findall(r"[^\[\]]+", key)
        node = result
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return result


def sign(payload: bytes, secret: str, *, at: int | None = None) -> str:
    """The Stripe-Signature header Stripe would send with this payload."""
    at = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{at}.".encode() + payload, hashlib.sha256)
    return f"t={at},v1={mac.hexdigest()}"


def make_event(kind: str, obj: dict, *, created: int | None = None) -> dict:
    return {
        "id": new_id("evt"),
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": int(time.time()) if created is None else created,
        "type": kind,
        "livemode": False,
        "data": {"object": obj},
    }


class FakeStripe:
    """Stripe's state, the HTTP server over it, and the moves a test makes Stripe take."""

    def __init__(self):
        self.customers: dict[str, dict] = {}
        self.sessions: dict[str, dict] = {}
        self.subscriptions: dict[str, dict] = {}
        self.idempotent: dict[str, dict] = {}
        self.calls: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.fake = self
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def close(self):
        self._httpd.shutdown()
        self._httpd.server_close()

    # --- the API ------------------------------------------------------------------

    def handle(self, method: str, path: str, params: dict, idempotency_key: str | None):
        self.calls.append((method, path))
        if idempotency_key and idempotency_key in self.idempotent:
            return 200, self.idempotent[idempotency_key]
        status, body = self._route(method, path, params)
        if idempotency_key and status == 200:
            self.idempotent[idempotency_key] = body
        return status, body

    def _route(self, method, path, params):
        if (method, path) == ("POST", "/v1/customers"):
            customer = {"id": new_id("cus"), "object": "customer", **params}
            self.customers[customer["id"]] = customer
            return 200, customer
        if (method, path) == ("POST", "/v1/checkout/sessions"):
            return self._create_session(params)
        if match := re.fullmatch(r"/v1/checkout/sessions/(\w+)(/expire)?", path):
            session = self.sessions.get(match[1])
            if session is None:
                return _missing(match[1])
            if match[2]:
                if session["status"] != "open":
                    return 400, _error(f"Session {match[1]} is not open.")
                session["status"] = "expired"
            return 200, session
        if (method, path) == ("POST", "/v1/billing_portal/sessions"):
            if params.get("customer") not in self.customers:
                return _missing(params.get("customer"))
            portal = {"id": new_id("bps"), "object": "billing_portal.session", **params}
            portal["url"] = f"{self.url}/portal/{portal['id']}"
            return 200, portal
        if match := re.fullmatch(r"/v1/subscriptions/(\w+)", path):
            subscription = self.subscriptions.get(match[1])
            if subscription is None:
                return _missing(match[1])
            if method == "DELETE":
                subscription.update(status="canceled", ended_at=int(time.time()))
            return 200, subscription
        return 404, _error(f"Unrecognized request URL ({method}: {path}).")

    def _create_session(self, params):
        if params.get("customer") not in self.customers:
            return _missing(params.get("customer"))
        session = {
            "id": new_id("cs"),
            "object": "checkout.session",
            "status": "open",
            "payment_status": "unpaid",
            "subscription": None,
            **params,
        }
        session["url"] = f"{self.url}/pay/{session['id']}"
        self.sessions[session["id"]] = session
        return 200, session

    # --- what a test makes Stripe do --------------------------------------------------

    def open_sessions(self, customer: str) -> list[dict]:
        return [
            s for s in self.sessions.values() if s["customer"] == customer and s["status"] == "open"
        ]

    def complete_checkout(self, session_id: str, *, now: int | None = None) -> list[dict]:
        """The reader pays: the subscription starts; the events Stripe sends, in its order."""
        now = int(time.time()) if now is None else now
        session = self.sessions[session_id]
        assert session["status"] == "open", f"session {session_id} is {session['status']}"
        price = session["line_items"]["0"]["price"]
        subscription = {
            "id": new_id("sub"),
            "object": "subscription",
            "customer": session["customer"],
            "status": "active",
            "cancel_at_period_end": False,
            "ended_at": None,
            "metadata": session.get("metadata", {}),
            "items": {"data": [{"price": {"id": price}, "current_period_end": now + MONTH}]},
        }
        self.subscriptions[subscription["id"]] = subscription
        session.update(status="complete", payment_status="paid", subscription=subscription["id"])
        return [
            make_event("checkout.session.completed", dict(session), created=now),
            make_event("customer.subscription.created", _copy(subscription), created=now),
            make_event("invoice.paid", self._invoice(subscription, now), created=now),
        ]

    def renew(self, subscription_id: str, *, now: int, paid: bool = True) -> list[dict]:
        """The period ends and Stripe charges the card for the next one."""
        subscription = self.subscriptions[subscription_id]
        item = subscription["items"]["data"][0]
        item["current_period_end"] += MONTH
        subscription["status"] = "active" if paid else "past_due"
        invoice = self._invoice(subscription, now)
        kind = "invoice.paid" if paid else "invoice.payment_failed"
        return [
            make_event("customer.subscription.updated", _copy(subscription), created=now),
            make_event(kind, invoice, created=now),
        ]

    def cancel_at_period_end(self, subscription_id: str, *, now: int) -> list[dict]:
        """The reader cancels in the portal: premium runs to the end of the paid period."""
        subscription = self.subscriptions[subscription_id]
        subscription["cancel_at_period_end"] = True
        return [make_event("customer.subscription.updated", _copy(subscription), created=now)]

    def end(self, subscription_id: str, *, now: int) -> list[dict]:
        """The subscription ends (its period ran out after cancelling, or payments failed)."""
        subscription = self.subscriptions[subscription_id]
        subscription.update(status="canceled", ended_at=now)
        return [make_event("customer.subscription.deleted", _copy(subscription), created=now)]

    @staticmethod
    def _invoice(subscription: dict, now: int) -> dict:
        end = subscription["items"]["data"][0]["current_period_end"]
        return {
            "id": new_id("in"),
            "object": "invoice",
            "customer": subscription["customer"],
            "parent": {"subscription_details": {"subscription": subscription["id"]}},
            "lines": {"data": [{"period": {"start": end - MONTH, "end": end}}]},
        }


def _copy(obj: dict) -> dict:
    return json.loads(json.dumps(obj))


def _error(message: str) -> dict:
    return {"error": {"type": "invalid_request_error", "message": message}}


def _missing(object_id) -> tuple[int, dict]:
    return 404, _error(f"No such object: '{object_id}'")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self, method: str):
        fake: FakeStripe = self.server.fake
        length = int(self.headers.get("Content-Length") or 0)
        params = decode_form(self.rfile.read(length).decode())
        if not self.path.startswith("/v1/"):  # Stripe's pages where browsers land
            status, body, kind = 200, _page(self.path).encode(), "text/html"
        else:
            with fake.lock:
                status, data = fake.handle(
                    method, self.path.split("?")[0], params, self.headers.get("Idempotency-Key")
                )
            body, kind = json.dumps(data).encode(), "application/json"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Request-Id", new_id("req"))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self._answer("GET")

    def do_POST(self):
        self._answer("POST")

    def do_DELETE(self):
        self._answer("DELETE")

    def log_message(self, format, *args):
        pass


def _page(path: str) -> str:
    title = "Stripe Checkout (test)" if path.startswith("/pay/") else "Stripe billing (test)"
    return f"<!doctype html><title>{title}</title><h1>{title}</h1><p id='path'>{path}</p>"


@pytest.fixture
def stripe_fake(settings):
    """A running fake Stripe, and settings that send the site's Stripe calls to it."""
    fake = FakeStripe()
    settings.STRIPE_SECRET_KEY = "sk_test_newsroom"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_PRICE_MONTHLY = "price_monthly"
    settings.STRIPE_PRICE_YEARLY = "price_yearly"
    settings.STRIPE_API_BASE = fake.url
    settings.STRIPE_PAGES = [fake.url]
    settings.STRIPE_TIMEOUT = 5
    yield fake
    fake.close()
