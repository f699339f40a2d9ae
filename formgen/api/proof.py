"""Proof: the proof sheet (蒙古文校对单) of a batch — every Mongolian string it will print, for approval."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from formgen.api.render import Job, RecordsLike, RenderReport, _Gatherer, _roster_for
from formgen.document import DocumentInfo
from formgen.typeset.composer import Composer, Environment
from formgen.typeset.proof import ProofEntry, ProofSheet, proof_entries
from formgen.writers import writer_for


@dataclass
class ProofReport(RenderReport):
    entries: list[ProofEntry] = field(default_factory=list)


def proof(job: Job, records: RecordsLike, target: Path | str, photos: Optional[Path | str] = None,
          env: Optional[Environment] = None, source: str = "") -> ProofReport:
    """Compose the batch as render would, and write the proof sheet of its Mongolian strings to target
    (a PDF); records that fail are reported and named on the sheet."""
    job = job.loaded()
    env = env or Environment.default()
    roster = _roster_for(job, records, photos)
    composer = Composer(job.layout, env, job.org, job.options, job.copies)
    report = ProofReport()
    gatherer = _Gatherer(roster, report, None, len(roster.records))
    results = []
    for result in composer.compose(roster.records):
        results.append(result)
        list(gatherer.pages([result]))
    gatherer.rest()
    report.entries = proof_entries(results)
    layout = job.layout.spec
    data = source or roster.source
    subtitle = (f"版式：{layout.title}（{layout.name}）　" + (f"名册：{data}　" if data else "") +
                f"共 {len(roster.records)} 条记录，{report.rendered} 条可以生成　生成日期：{env.today:%Y-%m-%d}\n"
                "请通晓蒙古文的同志逐条核对：蒙古文写法是否正确，与汉文是否对应，附加成分前是否为窄不换行空格（NNBSP）。"
                "核对无误后签字，再批量印制。")
    failed = [str(problem) for problem in report.failed]
    sheet = ProofSheet(env.book, "蒙古文校对单", subtitle, failed)
    pages = sheet.pages(report.entries)
    info = DocumentInfo(title=f"蒙古文校对单 {layout.title}", author=str(job.org.get("committee") or ""),
                        subject="蒙古文校对单")
    report.pages = writer_for("pdf")(pages, info, Path(target), env.book)
    report.outputs.append(Path(target))
    return report
