"""Starting the page: waitress serves the application, the browser is opened on it."""
from __future__ import annotations

import sys
import threading
import webbrowser
from pathlib import Path
from typing import Optional

from formgen.web.security import is_loopback


def serve(host: str, port: int, data_dir: Path, open_browser: bool, password: Optional[str] = None,
          threads: int = 8) -> None:
    """Serve until interrupted (Ctrl+C or closing the window)."""
    from waitress import create_server

    from formgen.web.app import create_app

    app = create_app(data_dir, host, password)
    server = create_server(app, host=host, port=port, threads=threads, ident="formgen")
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{shown_host}:{server.effective_port}/"
    print(f"formgen 网页已启动：{url}", flush=True)
    print(f"数据文件夹：{Path(data_dir).resolve()}", flush=True)
    secret = app.config["ACCESS_SECRET"]
    if app.config["ACCESS_TOKEN_GENERATED"]:
        print(f"访问码：{secret}（办公室网络中的其他电脑打开本机地址后输入它；或打开 {url}?token={secret}）", flush=True)
    if not is_loopback(host):
        print("注意：网页对办公室网络开放，请只在可信的内部网络中这样使用", flush=True)
    print("要停止，请关闭这个窗口或按 Ctrl+C", flush=True)
    if open_browser:
        start = f"{url}?token={secret}" if secret and app.config["ACCESS_TOKEN_GENERATED"] else url
        threading.Timer(0.5, lambda: webbrowser.open(start)).start()
    try:
        server.run()
    except KeyboardInterrupt:
        print("formgen 网页已停止", file=sys.stderr)
    finally:
        app.extensions["formgen"].worker.stop()
