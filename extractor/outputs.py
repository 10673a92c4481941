"""Writing output files so that they cannot destroy anything.

* An output is never the database or one of the reports being read (`refuse_clobber`): a
  mistyped `--json audit.db` would otherwise overwrite every review decision.
* Every output is written to a temporary file in the target's folder, flushed to disk, and
  renamed over the target (`atomic_write`): a full disk or a crash leaves the previous file as
  it was, never a truncated one, and no temporary file behind.
* A failure is one line naming the file (`OutputError`).
"""
from __future__ import annotations

import errno
import os
import sys
import tempfile
from typing import BinaryIO, Callable, Iterable, Optional, Union

from .errors import JixiaoError

Payload = Union[bytes, str, Callable[[BinaryIO], None]]


class OutputError(JixiaoError):
    """An output file that may not or could not be written."""


def _same(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return os.path.realpath(a) == os.path.realpath(b)


def refuse_clobber(target: str, database: Optional[str] = None, inputs: Iterable[str] = ()) -> None:
    """OutputError when `target` is the database (or its WAL files) or one of the inputs."""
    if database:
        for path in (database, database + "-wal", database + "-shm"):
            if _same(target, path):
                raise OutputError(f"{target}: 这是数据库文件，不能作为输出（会覆盖其中的审核结果与复核结论），请换一个文件名")
    for path in inputs:
        if _same(target, path):
            raise OutputError(f"{target}: 这是正在审核的报告，不能作为输出（会覆盖报告本身），请换一个文件名")


def check_writable(target: str) -> None:
    """Fail before the work rather than after it: the folder must exist and take new files."""
    folder = os.path.dirname(os.path.abspath(target))
    if os.path.isdir(target):
        raise OutputError(f"{target}: 是文件夹，请给出文件名")
    if not os.path.isdir(folder):
        raise OutputError(f"{target}: 无法写入：文件夹 {folder} 不存在")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{target}: 无法写入：没有在 {folder} 中创建文件的权限")


def atomic_write(target: str, payload: Payload, database: Optional[str] = None, inputs: Iterable[str] = ()) -> int:
    """Write `payload` (bytes, str as UTF-8, or a function that writes to a binary file) to
    `target` through a temporary file in the same folder; returns the size in bytes."""
    refuse_clobber(target, database, inputs)
    check_writable(target)
    folder = os.path.dirname(os.path.abspath(target))
    name = os.path.basename(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{target}: 无法写入：{_reason(exc)}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            if callable(payload):
                payload(fh)
            else:
                fh.write(payload.encode("utf-8") if isinstance(payload, str) else payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise OutputError(f"{target}: 写入失败，原文件未改动：{_reason(exc)}") from exc
        raise
    _sync_folder(folder)
    return os.path.getsize(target)


def write_stdout(payload: Union[bytes, str]) -> None:
    """UTF-8 bytes to standard output whatever the locale says (a C locale would refuse
    Chinese text)."""
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    stream = getattr(sys.stdout, "buffer", None)
    try:
        if stream is not None:
            sys.stdout.flush()
            stream.write(data)
            stream.flush()
        else:  # a text-only stream (tests)
            sys.stdout.write(data.decode("utf-8"))
            sys.stdout.flush()
    except BrokenPipeError:  # `| head`: the reader has what it wanted
        pass


def _mode_for(target: str) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0666 less the umask."""
    try:
        return os.stat(target).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _sync_folder(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _reason(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "磁盘已满"
    if exc.errno == errno.EFBIG:
        return "超过了允许的文件大小（磁盘配额）"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "没有写入权限"
    if exc.errno == errno.EROFS:
        return "文件系统只读"
    return exc.strerror or type(exc).__name__

