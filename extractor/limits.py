"""Bounds on what one report file may make the readers allocate.

A 5 KB xlsx can describe a sheet of 17 billion cells, a 2 KB page a table of 9 million, a 1 MB
docx 340 MB of XML. Each bound here is checked *before* the structure it bounds is built, from
sizes the file declares (zip directory, cell references, span attributes), so a file over a
limit costs almost nothing and becomes one line naming the file and the limit; the batch goes
on. The defaults sit far above any real report; `--limit NAME=VALUE` raises one for a run.
"""
from __future__ import annotations

import os
import re
import stat
import zipfile
from dataclasses import dataclass, fields, replace
from typing import BinaryIO, Iterable

from .errors import InputError, JixiaoError

MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    file_mb: float = 100  # bytes of the file itself
    unpacked_mb: float = 300  # docx/xlsx: every zip member, uncompressed (pictures included), together
    xml_mb: float = 40  # docx/xlsx: the XML parts, uncompressed, together (parsed into trees: ~12x in memory)
    cells: int = 200_000  # one table: xlsx cells stored, merged area, used range; html/docx cells after spans
    span: int = 1000  # one cell's colspan / rowspan / gridSpan, a row's gridBefore
    depth: int = 100  # html: elements nested in elements (tables in tables count the same)

    def exceeded(self, path: str, what: str, name: str) -> InputError:
        """The one-line error for a file over limit `name`."""
        return InputError(path, f"{what}，超过上限 {name}={_plain(getattr(self, name))}（可用 --limit {name}=N 提高）")

    def with_overrides(self, pairs: Iterable[str]) -> "Limits":
        """`["cells=500000", "unpacked_mb=300"]` applied over these limits."""
        known = {f.name: f.type for f in fields(self)}
        changes: dict[str, float] = {}
        for pair in pairs:
            name, sep, value = pair.partition("=")
            name = name.strip()
            if not sep or name not in known:
                raise LimitError(f"--limit {pair}: 须写成 名称=数值，名称为 {', '.join(known)}")
            try:
                number = float(value) if name.endswith("_mb") else int(value)
            except ValueError:
                raise LimitError(f"--limit {pair}: {value.strip() or '（空）'} 不是数字") from None
            if number <= 0:
                raise LimitError(f"--limit {pair}: 须大于 0")
            changes[name] = number
        return replace(self, **changes)


class LimitError(JixiaoError):
    """A --limit option that cannot be read."""


DEFAULT_LIMITS = Limits()
LIMIT_HELP = {
    "file_mb": "文件大小（MB）",
    "unpacked_mb": "docx/xlsx 解压后的总大小（MB，含图片）",
    "xml_mb": "docx/xlsx 中 XML 部分解压后的总大小（MB）",
    "cells": "一张表格的单元格数（含合并区域与跨行跨列展开）",
    "span": "一个单元格跨越的行数或列数",
    "depth": "HTML 标签嵌套层数",
}


def _plain(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


# ---------------------------------------------------------------- the file itself

_KINDS = [(stat.S_ISDIR, "是文件夹"), (stat.S_ISFIFO, "是命名管道 (FIFO)"), (stat.S_ISCHR, "是字符设备"),
          (stat.S_ISBLK, "是块设备"), (stat.S_ISSOCK, "是套接字")]


def not_regular(mode: int) -> str:
    """Why a file of this st_mode is not read ("" for a regular file)."""
    if stat.S_ISREG(mode):
        return ""
    kind = next((what for test, what in _KINDS if test(mode)), "特殊文件")
    return f"无法读取：{kind}，不是普通文件"


def read_regular_file(path: str, limits: Limits) -> bytes:
    """The bytes of a regular file of at most `limits.file_mb`. Opened without blocking (a FIFO
    put in its place between a check and the open cannot hang us), checked on the open
    descriptor, read no further than the limit even if the file grows meanwhile."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(path, "文件不存在") from None
    except PermissionError:
        raise InputError(path, "没有读取权限") from None
    except OSError as e:
        raise InputError(path, f"无法读取文件 ({type(e).__name__}: {e.strerror or e})") from None
    try:
        info = os.fstat(fd)
        why = not_regular(info.st_mode)
        if why:
            raise InputError(path, why)
        cap = int(limits.file_mb * MB)
        if info.st_size > cap:
            raise limits.exceeded(path, f"文件大小 {info.st_size / MB:.1f} MB", "file_mb")
        with os.fdopen(fd, "rb", closefd=True) as fh:
            fd = -1
            data = _read_at_most(fh, cap + 1)
    except OSError as e:
        raise InputError(path, f"无法读取文件 ({type(e).__name__}: {e.strerror or e})") from None
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > cap:
        raise limits.exceeded(path, "文件在读取时超过了大小上限", "file_mb")
    return data


def _read_at_most(fh: BinaryIO, n: int) -> bytes:
    chunks, left = [], n
    while left > 0:
        chunk = fh.read(min(left, 1 << 24))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


# ---------------------------------------------------------------- zip packages (docx, xlsx)

def check_zip(path: str, book: zipfile.ZipFile, limits: Limits) -> None:
    """Uncompressed sizes as the zip directory declares them. zipfile never inflates a member
    past its declared size (the rest is a CRC error), so this bounds what the readers get."""
    infos = book.infolist()
    for name, members in (("unpacked_mb", infos), ("xml_mb", [i for i in infos if i.filename.endswith((".xml", ".rels"))])):
        total = sum(info.file_size for info in members)
        if members and total > getattr(limits, name) * MB:
            biggest = max(members, key=lambda i: i.file_size)
            what = "解压后" if name == "unpacked_mb" else "其中 XML 解压后"
            raise limits.exceeded(
                path, f"{what}共 {total / MB:.0f} MB（最大的 {biggest.filename} {biggest.file_size / MB:.0f} MB）", name
            )


# ---------------------------------------------------------------- xlsx, before openpyxl

_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def cell_ref(ref: str) -> tuple[int, int]:
    """"XFD1048576" -> (1048576, 16384)."""
    m = _REF.fullmatch(ref.strip())
    if not m:
        raise ValueError(ref)
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def range_area(ref: str) -> int:
    a, _, b = ref.partition(":")
    (r0, c0), (r1, c1) = cell_ref(a), cell_ref(b or a)
    return (abs(r1 - r0) + 1) * (abs(c1 - c0) + 1)


def check_xlsx_sheets(path: str, book: zipfile.ZipFile, limits: Limits) -> None:
    """Stored cells and merged area of every worksheet, streamed from its XML: openpyxl makes an
    object for every stored cell and for every position of a merged range, so both are
    counted before it runs."""
    from lxml import etree

    for name in sorted(n for n in book.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")):
        stored = merged = 0
        with book.open(name) as fh:
            for _event, el in etree.iterparse(fh, events=("end",), tag=(_MAIN + "c", _MAIN + "mergeCell", _MAIN + "row"),
                                              resolve_entities=False, no_network=True, huge_tree=False):
                if el.tag == _MAIN + "c":
                    stored += 1
                    if stored > limits.cells:
                        raise limits.exceeded(path, f"工作表 {_sheet_name(name)} 存储的单元格过多", "cells")
                    continue
                if el.tag == _MAIN + "mergeCell":
                    try:
                        merged += range_area(el.get("ref") or "")
                    except ValueError:
                        pass  # openpyxl will say what is wrong with it
                    if merged > limits.cells:
                        raise limits.exceeded(
                            path, f"工作表 {_sheet_name(name)} 的合并单元格覆盖 {merged} 个单元格（{el.get('ref')}）", "cells"
                        )
                el.clear()
                while el.getprevious() is not None:  # keep the partial tree small
                    del el.getparent()[0]


def _sheet_name(member: str) -> str:
    return member.rsplit("/", 1)[-1].removesuffix(".xml")
