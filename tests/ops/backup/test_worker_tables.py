"""A PostgreSQL installation whose workers added procrastinate's tables backs up, verifies
and restores like any other, and the restored installation's workers carry on."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from nex_automat.ops.backup.catalogue import load_set
from nex_automat.ops.backup.manifest import BackupKind
from nex_automat.ops.backup.restore import restore_backup
from nex_automat.ops.backup.runs import take_backup
from nex_automat.ops.backup.verify import verify_backup
from nex_automat.pipeline.services import build_services
from nex_automat.pipeline.workers import TASK_NAME, WorkerNode, carried_job_ids, install_schema
from nex_automat.store.documents import get_document
from nex_automat.store.models import DocumentState, JobState
from tests.pipeline.documents import arrival, invoice_pdf
from tests.pipeline.worker_passes import dispatched

from .sites import CONFIG_TEXT, database_for, ingest, make_settings, opened


def test_a_backup_with_queued_worker_jobs_restores_and_the_workers_carry_on(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "config.yaml").write_text(CONFIG_TEXT)
    with database_for("postgresql", data_dir) as url:
        settings = make_settings(data_dir, url, tmp_path / "backups")
        ingest(settings, (1,))
        services = build_services(settings)
        try:
            install_schema(services.db)
            document_id = services.intake.receive(
                settings.default_tenant, invoice_pdf(2), arrival()
            ).document_id
            node = WorkerNode(services, concurrency=1)

            assert dispatched(node) == 1
            [queued] = carried_job_ids(services.db)
        finally:
            services.close()
        with opened(settings) as db:
            backup_id = take_backup(settings, db, kind=BackupKind.MANUAL).id

        verified = verify_backup(settings, backup_id)
        assert verified.findings == []

        with database_for("postgresql", tmp_path / "restored") as target_url:
            target = make_settings(tmp_path / "restored", target_url, tmp_path / "backups")
            report = restore_backup(target, load_set(target.backup_dir, backup_id))
            assert report.problems == []
            restored = build_services(target)
            try:
                with restored.db.engine.connect() as connection:
                    tasks = connection.scalars(
                        text("SELECT task_name FROM procrastinate_jobs WHERE status = 'todo'")
                    ).all()
                assert tasks == [TASK_NAME]
                assert carried_job_ids(restored.db) == {queued}
                install_schema(restored.db)

                WorkerNode(restored, concurrency=1).run_row(queued)

                job = restored.queue.get(queued)
                assert job is not None and job.state is JobState.DONE
                with restored.db.tenant_session(target.default_tenant) as session:
                    document = get_document(session, document_id)
                    assert document is not None and document.state is DocumentState.PROCESSED
            finally:
                restored.close()
