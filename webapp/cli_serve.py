"""`tonghu serve` and `worker`: the web server and the timer worker, after the start-up checks."""
import click


def _app_or_refuse(check: bool = True):
    """The configured app, after the start-up checks of `serving.preflight` (bad config: a clear refusal)."""
    from . import create_app, serving
    from .config import ConfigError
    try:
        app = create_app()
        if check:
            serving.preflight(app)
    except (ConfigError, serving.StartRefused) as err:
        raise click.ClickException(f"拒绝启动：{err}") from None
    return app


@click.command("serve")
@click.option("--bind", help="address:port or unix:/path (default 127.0.0.1:PORT)")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), envvar="TONGHU_WEB_WORKERS",
              help="gunicorn worker processes (about one per core)")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64), envvar="TONGHU_WEB_THREADS",
              help="threads per worker: requests that wait for the database let another run (1: sync workers)")
@click.option("--access-log", default="-", show_default=True, help="file for the access log ('-': stderr, '' : none)")
@click.option("--dev", is_flag=True, help="Werkzeug's development server instead of gunicorn (never in production)")
def serve_command(bind, host, port, workers, threads, access_log, dev):
    """Serve the web app with gunicorn (SIGTERM: finish requests in flight, then stop).

    The scheduler is a process of its own: run `tonghu worker` beside it.
    """
    app = _app_or_refuse()
    bind = bind or f"{host}:{port}"
    if dev:
        host, _, port = bind.rpartition(":")
        click.echo(f"童护 Tonghu（开发服务器）已启动：http://{bind}")
        from .security import QuietRequestHandler
        app.extensions["tonghu.pdf_filing"].mode = "background"  # as gunicorn's workers below
        app.run(host=host or "127.0.0.1", port=int(port), debug=False, use_reloader=False,
                request_handler=QuietRequestHandler)
        return
    from . import create_app, serving
    click.echo(f"童护 Tonghu 已启动：{bind}（gunicorn，{workers} 个工作进程，每个 {threads} 个线程）")
    # A served request answers before its documents' PDFs are rendered (webapp/pdf_filing.py).
    serving.serve(lambda: create_app({"PDF_FILING": "background"}), bind, workers, access_log or None, threads=threads)


@click.command("worker")
@click.option("--interval", type=click.FloatRange(min=0.05), help="seconds between runs (default TONGHU_TIMER_INTERVAL or 60)")
@click.option("--once", is_flag=True, help="one run, then exit")
def worker_command(interval, once):
    """Fire due timers, deadlines, escalations, visits and resettlement starts, every interval, until SIGTERM.

    Safe to run on several machines: a run first takes the scheduler lease, the others wait.
    """
    from . import serving
    app = _app_or_refuse()
    loop = serving.SchedulerLoop(app.extensions["tonghu.sessionmaker"], app.extensions["tonghu.engine"],
                                 interval or app.config["TIMER_INTERVAL"])
    click.echo(f"童护调度进程已启动（每 {loop.interval:g} 秒检查一次，{loop.holder}）")
    loop.run_forever(max_runs=1 if once else None)
    app.extensions["tonghu.sessionmaker"].kw["bind"].dispose()
    click.echo(f"调度进程已停止（共运行 {loop.runs} 次）")
