@echo off
chcp 65001 >nul
rem formgen 网页：双击启动，浏览器会自动打开；关闭这个窗口即停止。
rem UTF-8 throughout: the code page above, and Python told to speak UTF-8 on this console.
set PYTHONUTF8=1
set PYTHONIOENCODING=utf-8
title formgen 网页（关闭此窗口即停止）
where formgen >nul 2>nul
if %errorlevel%==0 (
  formgen serve
) else (
  py -m formgen serve
)
if errorlevel 1 (
  echo.
  echo formgen 没有启动。请先安装 Python 和 formgen（见说明）：py -m pip install formgen-0.1.0-py3-none-any.whl
  pause
)
