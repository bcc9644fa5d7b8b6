"""Error answers: a clear reason and a 4xx for bad input, never the input echoed back."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


def invalid_request(error: RequestValidationError) -> JSONResponse:
    """A 422 that names the fields and problems, never the input itself."""
    # Pydantic's errors carry the offending input; a 100 kB message should not bounce back.
    problems = [
        {"field": ".".join(str(p) for p in e.get("loc", ())[1:]), "problem": e.get("msg", "")}
        for e in error.errors()
    ]
    return JSONResponse(
        status_code=422,
        content={"message": "The request could not be read.", "problems": problems[:10]},
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        return invalid_request(error)
