"""The client's rules that do not depend on the office's behaviour: the backoff schedule,
which answers are retried, the token file, and that the token never leaks into a log, an
error message or the status. Answers the office would give are scripted with httpx's mock
transport (STYLE: network code without a network); the real office is in the other files."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sync_helpers import Kiosk, MakeKiosk, OfficeServer, pending, recent

from kiosk.logs import setup_logging
from kiosk.sync.cli import run_sync
from kiosk.sync.client import (
    Backoff,
    BatchRejected,
    NotSetUp,
    OfficeClient,
    OfficeUnavailable,
    TokenFileError,
    TokenRejected,
    is_retryable,
    read_token,
    token_path,
)
from kiosk.sync.service import SyncService

TOKEN = "Sekret-Token_0123456789abcdefXYZ"


class Extremes(random.Random):
    """A random source that answers each draw's upper bound, or (`alternate`) the upper and
    the lower bound in turn."""

    def __init__(self, alternate: bool = False) -> None:
        super().__init__(1)
        self.alternate = alternate
        self.calls = 0

    def uniform(self, a: float, b: float) -> float:
        self.calls += 1
        return a if self.alternate and self.calls % 2 == 0 else b


def test_backoff_ceiling_doubles_from_30_seconds_up_to_an_hour() -> None:
    backoff = Backoff()
    assert [backoff.ceiling(n) for n in range(1, 10)] == [
        30,
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]
    assert backoff.ceiling(10_000) == 3600


def test_backoff_draws_full_jitter_between_zero_and_the_ceiling() -> None:
    backoff = Backoff()
    rng = random.Random(7)
    for failures in range(1, 12):
        delays = [backoff.delay(failures, rng) for _ in range(400)]
        ceiling = backoff.ceiling(failures)
        assert all(0 <= d <= ceiling for d in delays)
        # Full jitter: the whole range is used, not just its top.
        assert min(delays) < ceiling * 0.1 and max(delays) > ceiling * 0.9
    extremes = Extremes(alternate=True)
    assert [backoff.delay(n, extremes) for n in (1, 2, 3)] == [30, 0, 120]


@pytest.mark.parametrize(
    ("status", "retry"),
    [(500, True), (502, True), (503, True), (408, True), (429, True)]
    + [(400, False), (401, False), (403, False), (404, False), (413, False), (422, False)],
)
def test_only_5xx_408_and_429_are_retried(status: int, retry: bool) -> None:
    assert is_retryable(status) is retry


def _scripted(statuses: list[int]) -> Callable[[], httpx.Client]:
    """An httpx client whose office answers the given statuses in turn (200 = a summary)."""
    answers = iter(statuses)

    def handler(request: httpx.Request) -> httpx.Response:
        status = next(answers)
        if status == 200:
            return httpx.Response(
                200,
                json={
                    "status": "OK",
                    "batch_id": "x",
                    "counts": {"imported": 0, "updated": 0, "unchanged": 0, "ignored": 0},
                    "conflicts": [],
                },
            )
        return httpx.Response(status, json={"error": f"E{status}", "message": "scripted"})

    return lambda: httpx.Client(transport=httpx.MockTransport(handler))


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, TokenRejected),
        (403, TokenRejected),
        (400, BatchRejected),
        (413, BatchRejected),
        (422, BatchRejected),
        (408, OfficeUnavailable),
        (429, OfficeUnavailable),
        (500, OfficeUnavailable),
        (503, OfficeUnavailable),
    ],
)
def test_each_answer_becomes_its_error(status: int, error: type[Exception]) -> None:
    with OfficeClient("https://office.example.lv", http=_scripted([status])()) as office:
        with pytest.raises(error) as raised:
            office.post_totals(TOKEN, b"{}")
    assert raised.value.status == status  # type: ignore[attr-defined]
    assert TOKEN not in str(raised.value)


def _self_signed(folder: Path) -> tuple[Path, Path]:
    import shutil
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


def test_tls_certificates_are_verified_and_an_untrusted_one_is_refused(
    make_kiosk: MakeKiosk, office: OfficeServer, site_token: str, tmp_path: Path
) -> None:
    """The real office behind TLS with a self-signed certificate: refused by default (as a
    "tls" failure, retried later), accepted only by a client told to trust that certificate."""
    import socket
    import ssl
    import threading
    import time

    import uvicorn

    from kiosk.office.app import create_app

    cert, key = _self_signed(tmp_path)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(office.db_url),
            ssl_certfile=str(cert),
            ssl_keyfile=str(key),
            log_level="warning",
        )
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline
            time.sleep(0.01)
        url = f"https://127.0.0.1:{port}"
        kiosk = make_kiosk()
        kiosk.play(recent(1, 9))
        with OfficeClient(url) as default:
            with pytest.raises(OfficeUnavailable) as refused:
                default.post_totals(site_token, b"{}")
        assert refused.value.code == "tls" and site_token not in str(refused.value)
        kiosk.config = kiosk.make_config(office_url=url)
        trust = ssl.create_default_context(cafile=str(cert))
        with httpx.Client(verify=trust) as trusting:
            assert run_sync(kiosk.config, kiosk.data_dir, export=None, http=trusting) == 0
        assert pending(kiosk.db_path) == 0
    finally:
        server.should_exit = True
        thread.join(20)


def test_an_office_address_with_a_user_or_token_in_it_is_refused() -> None:
    with pytest.raises(NotSetUp) as refused:
        OfficeClient(f"https://ludza:{TOKEN}@office.example.lv")
    assert refused.value.code == "bad_address" and TOKEN not in str(refused.value)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "does not exist"),
        ("", "is empty"),
        ("  \n", "is empty"),
        (b"\xff\xfe\x00", "not a text file"),
        ("two words", "does not hold a site token"),
    ],
)
def test_a_bad_token_file_says_what_is_wrong_without_showing_it(
    tmp_path: Path, content: str | bytes | None, problem: str
) -> None:
    path = tmp_path / "token.txt"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(TokenFileError) as raised:
        read_token(path)
    assert problem in str(raised.value) and str(path) in str(raised.value)
    if isinstance(content, str) and content.strip():
        assert content not in str(raised.value)


def test_the_token_file_is_read_next_to_the_config_and_stripped(make_kiosk: MakeKiosk) -> None:
    kiosk = make_kiosk()
    path = token_path(kiosk.config)
    assert path == kiosk.folder / "site-token.txt"
    assert read_token(path) == kiosk.token


# ----- the service's schedule -----------------------------------------------------------


class FakeMonotonic:
    def __init__(self) -> None:
        self.t = 5000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def service_factory(tmp_path: Path) -> Iterator[Callable[..., SyncService]]:
    made: list[SyncService] = []

    def make(kiosk: Kiosk, http: Callable[[], httpx.Client], **options: object) -> SyncService:
        service = SyncService(
            kiosk.config,
            kiosk.data_dir,
            wall=lambda: datetime.now(UTC),
            http=http,
            first_delay_s=3600,
            **options,  # type: ignore[arg-type]
        )
        service.start()
        made.append(service)
        return service

    yield make
    for service in made:
        service.stop()


def _attempt(service: SyncService):  # type: ignore[no-untyped-def]
    assert service.wait_for_attempt(service.sync_now(), 30)
    return service.status()


def test_the_service_backs_off_on_5xx_408_429_and_waits_the_interval_after_4xx(
    make_kiosk: MakeKiosk, service_factory: Callable[..., SyncService]
) -> None:
    kiosk = make_kiosk(interval_minutes=20)
    kiosk.play(recent(1, 9))
    clock = FakeMonotonic()
    service = service_factory(
        kiosk,
        _scripted([503, 429, 408, 422, 500, 401, 200]),
        monotonic=clock,
        rng=Extremes(),
    )
    seen = []
    for _ in range(7):
        status = _attempt(service)
        seen.append((status.last_error, status.last_error_status, status.retry_in_s))
    assert seen == [
        ("server_error", 503, 30.0),  # 1st failure: the top of [0, 30]
        ("busy", 429, 60.0),  # 2nd: the top of [0, 60]
        ("busy", 408, 120.0),  # 3rd: the top of [0, 120]
        ("rejected", 422, 1200.0),  # not retried soon: the normal 20 minutes
        ("server_error", 500, 30.0),  # the count started again after the 4xx
        ("token_rejected", 401, 1200.0),  # a wrong token: the normal interval
        ("", None, None),
    ]
    assert pending(kiosk.db_path) == 0


def test_the_service_shows_a_missing_token_file_and_recovers_when_it_appears(
    make_kiosk: MakeKiosk,
    office: OfficeServer,
    site_token: str,
    service_factory: Callable[..., SyncService],
) -> None:
    kiosk = make_kiosk()
    kiosk.play(recent(1, 9))
    token_file = kiosk.folder / "site-token.txt"
    token_file.unlink()
    service = service_factory(kiosk, httpx.Client)
    status = _attempt(service)
    assert status.last_error == "token_file" and status.rows_waiting == pending(kiosk.db_path)
    token_file.write_text(site_token, encoding="utf-8")  # the librarian puts it back
    status = _attempt(service)
    assert status.last_error == "" and status.rows_waiting == 0
    assert status.last_success_at is not None


def test_the_service_is_not_set_up_without_a_token_file_setting(
    make_kiosk: MakeKiosk, service_factory: Callable[..., SyncService]
) -> None:
    kiosk = make_kiosk()
    kiosk.config = kiosk.make_config(token_file=None)
    service = service_factory(kiosk, httpx.Client)
    assert service.status().not_set_up == "token_file"
    status = _attempt(service)
    assert status.not_set_up == "token_file" and status.last_error == ""


def test_stop_returns_within_a_second_even_during_a_slow_request(
    make_kiosk: MakeKiosk, service_factory: Callable[..., SyncService]
) -> None:
    import threading
    import time

    kiosk = make_kiosk()
    kiosk.play(recent(1, 9))
    release = threading.Event()
    entered = threading.Event()

    def slow(request: httpx.Request) -> httpx.Response:
        entered.set()
        release.wait(30)
        return httpx.Response(503)

    service = service_factory(kiosk, lambda: httpx.Client(transport=httpx.MockTransport(slow)))
    service.sync_now()
    assert entered.wait(10)
    assert service.status().running
    started = time.monotonic()
    service.stop()
    assert time.monotonic() - started < 1.5
    release.set()


# ----- the token never leaks --------------------------------------------------------------


def test_the_token_never_reaches_the_log_even_on_errors(
    make_kiosk: MakeKiosk,
    office: OfficeServer,
    site_token: str,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    kiosk = make_kiosk()
    kiosk.play(recent(1, 9))
    log_file = setup_logging(kiosk.data_dir, level=logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    try:
        # Success, with httpx and httpcore logging at DEBUG.
        assert run_sync(kiosk.config, kiosk.data_dir, export=None) == 0
        # A wrong token (refused), then the office down (unreachable).
        wrong = "Wrong-Token_" + site_token[12:]
        (kiosk.folder / "site-token.txt").write_text(wrong, encoding="utf-8")
        kiosk.play(recent(1, 10))
        assert run_sync(kiosk.config, kiosk.data_dir, export=None) == 2
        (kiosk.folder / "site-token.txt").write_text(site_token, encoding="utf-8")
        office.stop()
        assert run_sync(kiosk.config, kiosk.data_dir, export=None) == 1
        service = SyncService(kiosk.config, kiosk.data_dir, wall=lambda: datetime.now(UTC))
        service.start()
        try:
            assert service.wait_for_attempt(service.sync_now(), 30)
            status = service.status()
        finally:
            service.stop()
    finally:
        for handler in list(logging.getLogger().handlers):
            if getattr(handler, "_telpa", False):
                logging.getLogger().removeHandler(handler)
                handler.close()
    printed = capsys.readouterr()
    logged = log_file.read_text(encoding="utf-8")
    assert "HTTP Request: POST" in caplog.text  # httpx did log the requests
    assert "401" in printed.err and "could not be reached" in printed.err
    for secret in (site_token, wrong):
        assert secret not in caplog.text
        assert secret not in logged
        assert secret not in printed.out + printed.err
        assert secret not in repr(status)
