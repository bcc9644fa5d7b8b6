"""The FastAPI application factory: ``create_app(settings)`` builds one instance.

Nothing is created at import time. The lifespan starts the outbox relay and disposes of the
database pool on shutdown. Run it with ``osallistu serve`` (or ``make run``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

import anyio.to_thread
from fastapi import FastAPI
from sqlalchemy import text

from bot.body_limit import BodySizeLimit
from bot.collector import freeze_start_up_objects
from bot.errors import install_error_handlers
from bot.jobs import build_scheduler
from bot.log_hygiene import quiet_chatty_loggers
from bot.public.events_page import events_router
from bot.security_headers import SecurityHeaders
from bot.services import Services, build_services
from bot.settings import Settings
from bot.staff import install_staff_area
from dialogs.events import Channel
from handlers.channels import CHANNELS, erased_by_meta
from handlers.email.pages import email_router
from handlers.meta.deletion import deletion_router
from handlers.meta.webhook import meta_router
from handlers.telegram.polling import poll_forever
from handlers.telegram.webhook import telegram_router
from handlers.webchat.admission import Admission, AdmissionLimits
from handlers.webchat.page import STATIC_PATH, PageLinks, page_router, static_files
from handlers.webchat.routes import Uploads, webchat_router
from handlers.webchat.updates import WebchatUpdates
from locales import N_
from storage.participants import keyed_user_id

logger = logging.getLogger(__name__)

KIB = 1024


def body_limits(settings: Settings) -> dict[str, int]:
    """The largest request body per path prefix (the longest prefix wins)."""
    limits = {spec.webhook_path: spec.body_limit for spec in CHANNELS if spec.webhook_path}
    return {
        **limits,
        # A phone photo: the page scales big ones down, but an old browser sends them whole.
        "/webchat/images": settings.max_image_bytes + 64 * KIB,
        "/staff/places/import": 6 * 1024 * KIB,
        "/staff/": 256 * KIB,
    }


async def _start_telegram(services: Services) -> None:
    """Initialise python-telegram-bot (one getMe). If Telegram cannot be reached now, the
    webhook still answers and the relay retries its sends, so the app starts anyway."""
    assert services.telegram is not None
    try:
        await services.telegram.initialize()
    except Exception as error:  # network down, bad token: say so, keep serving
        logger.error(
            "Telegram could not be reached at start-up (%s); sends will retry", type(error).__name__
        )


DELETION_DONE = N_("Deletion request {code} has been handled. No data about you remains.")


def _meta_eraser(services: Services) -> Callable[[str], Awaitable[bool]]:
    def erase_everywhere(user_id: str) -> bool:
        results = [
            services.engine.erase(channel=channel, user_id=user_id) for channel in erased_by_meta()
        ]
        return any(results)

    async def erase(user_id: str) -> bool:
        return await anyio.to_thread.run_sync(erase_everywhere, user_id)

    return erase


def create_app(settings: Settings, *, services: Services | None = None) -> FastAPI:
    """Build the app for ``settings``; tests may hand in prepared ``services``."""
    quiet_chatty_loggers()
    services = services or build_services(settings)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        background = []
        if settings.relay_enabled:
            background.append(
                asyncio.create_task(
                    services.relay.run_forever(settings.relay_interval_seconds),
                    name="outbox-relay",
                )
            )
        scheduler = build_scheduler(services)
        scheduler.start()
        if services.telegram is not None:
            await _start_telegram(services)
        if settings.telegram_polling and services.telegram_bot is not None:
            background.append(
                asyncio.create_task(
                    poll_forever(services.telegram_bot, services.runner), name="telegram-polling"
                )
            )
        freeze_start_up_objects()
        logger.info(
            "osallistu is up; channels: webchat%s",
            "".join(f", {c}" for c in services.relay.channels),
        )
        try:
            yield
        finally:
            scheduler.shutdown(wait=False)
            for task in background:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if services.telegram is not None:
                await services.telegram.shutdown()
            if services.meta_client is not None:
                await services.meta_client.aclose()
            services.database.dispose()
            services.reader.dispose()

    app = FastAPI(
        title="osallistu",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        # The API's description is for developers: not published by a deployment.
        openapi_url="/openapi.json" if settings.dev_mode else None,
    )
    app.state.services = services
    install_error_handlers(app)
    app.include_router(
        page_router(
            translators=services.translators,
            links=PageLinks(
                privacy_url=settings.privacy_url, accessibility_url=settings.accessibility_url
            ),
            embed_origins=settings.embed_origins,
        )
    )
    app.include_router(
        webchat_router(
            runner=services.runner,
            translators=services.translators,
            uploads=Uploads(media_dir=settings.media_dir, max_bytes=settings.max_image_bytes),
            admission=Admission(
                database=services.database,
                key=settings.pseudonym_secret(),
                limits=AdmissionLimits(
                    new_sessions_per_address_per_minute=settings.webchat_sessions_per_address_per_minute,
                    uploads_per_session_per_hour=settings.webchat_photos_per_session_per_hour,
                    uploads_per_address_per_hour=settings.webchat_photos_per_address_per_hour,
                ),
            ),
            updates=WebchatUpdates(services.database),
            user_id=lambda session: keyed_user_id(
                key=settings.pseudonym_secret(), channel=Channel.WEBCHAT, channel_user_id=session
            ),
        )
    )
    app.mount(STATIC_PATH, static_files(), name="webchat-static")
    if settings.meta_enabled and settings.meta_verify_token is not None:
        app.include_router(
            meta_router(
                runner=services.runner,
                verify_token=settings.meta_verify_token.get_secret_value(),
                secrets=settings.meta_secrets(),
            )
        )
        app.include_router(
            deletion_router(
                erase=_meta_eraser(services),
                secrets=settings.meta_secrets(),
                code_key=settings.pseudonym_secret(),
                status_text=lambda code: "\n".join(
                    t.text(DELETION_DONE, {"code": code}) for t in services.translators
                ),
            )
        )
    app.include_router(
        events_router(
            database=services.database,
            translators=services.translators,
            public_url=settings.public_url,
        )
    )
    if services.email_links is not None:
        app.include_router(
            email_router(
                database=services.database,
                links=services.email_links,
                translators=services.translators,
            )
        )
    if services.telegram_bot is not None and settings.telegram_webhook_secret is not None:
        app.include_router(
            telegram_router(
                runner=services.runner,
                bot=services.telegram_bot,
                secret=settings.telegram_webhook_secret.get_secret_value(),
            )
        )

    install_staff_area(
        app,
        database=services.database,
        reader=services.reader,
        translators=services.translators,
        settings=settings,
        team=services.team,
        announcer=services.announcer,
        telegram=services.telegram_bot,
    )

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        with services.database.connect() as connection:
            connection.execute(text("SELECT 1"))
        return {"status": "ok"}

    app.add_middleware(BodySizeLimit, limits=body_limits(settings), default=64 * KIB)
    app.add_middleware(SecurityHeaders, hsts=settings.sends_hsts)
    return app
