"""Where generated rows go: tab-separated chunk files loaded with LOAD DATA LOCAL INFILE on
MariaDB/MySQL (by two loader threads, while the next chunks are generated), or executemany on
SQLite (the small sizes, for CI).

On MariaDB a bulk table loses its secondary indexes before the load and gets them back in
one ALTER per table after it, two tables at a time (a sorted build instead of millions of random index inserts
through a small buffer pool); foreign-key and unique checks are off while loading — the
unique indexes are checked when they are rebuilt, and the CHECK constraints stay on. A table
whose rows arrive out of primary-key order (the search index: (term, order_id), written order
by order) loses its primary key too, so that the load appends, and gets it back sorted.
"""

from __future__ import annotations

import csv
import os
import queue
import threading
import time
from collections import defaultdict
from collections.abc import Sequence

from bench.scale.parallel import drain

CHUNK_ROWS = 100_000
LOADERS = 2  # LOAD DATA runs in the server: two keep both cores of a small machine busy


class Timings:
    def __init__(self) -> None:
        self.rows: dict[str, int] = defaultdict(int)
        self.load_seconds: dict[str, float] = defaultdict(float)
        self.index_seconds: dict[str, float] = defaultdict(float)


class Writer:
    """Rows of one table, in the order of `columns`, each a tuple (None for NULL). `add` is the
    list's own append (one C call per row, tens of millions of them); the generators call
    `Sink.tick()` between records to send full chunks on."""

    def __init__(self, sink: Sink, table: str, columns: Sequence[str]) -> None:
        self.sink, self.table, self.columns = sink, table, tuple(columns)
        self.pending: list[tuple] = []
        self.add = self.pending.append

    def flush(self) -> None:
        if self.pending:
            rows = self.pending[:]
            self.pending.clear()
            self.sink.write(self, rows)
            self.sink.timings.rows[self.table] += len(rows)


class TextWriter(Writer):
    """Rows already formatted as the load file's lines (tab-separated, each ending in a newline),
    several per `add`: for a table of tens of millions of short integer rows (the search index:
    ~14 per order), one join per record is a tenth of the csv writer's cost of a tuple per row.
    Its chunks are counted in records, a tenth of `chunk_rows` of them."""

    def flush(self) -> None:
        if self.pending:
            text = "".join(self.pending)
            self.pending.clear()
            self.sink.write_text(self, text)
            self.sink.timings.rows[self.table] += text.count("\n")


class Sink:
    chunk_rows = CHUNK_ROWS
    timestamp_suffix = ""

    def __init__(self) -> None:
        self.timings = Timings()
        self.writers: list[Writer] = []

    def table(self, name: str, columns: Sequence[str]) -> Writer:
        writer = Writer(self, name, columns)
        self.writers.append(writer)
        return writer

    def text_table(self, name: str, columns: Sequence[str]) -> TextWriter:
        writer = TextWriter(self, name, columns)
        self.writers.append(writer)
        return writer

    def write(self, writer: Writer, rows: list[tuple]) -> None:
        raise NotImplementedError

    def write_text(self, writer: TextWriter, text: str) -> None:
        """Lines already formatted (only integer columns): as rows, by default."""
        self.write(writer, [tuple(map(int, line.split("\t"))) for line in text.splitlines()])

    def tick(self) -> None:
        for writer in self.writers:
            if len(writer.pending) >= (self.chunk_rows // 10 if isinstance(writer, TextWriter) else self.chunk_rows):
                writer.flush()

    def flush_all(self) -> None:
        for writer in self.writers:
            writer.flush()

    def prepare(self, tables: Sequence[str], unordered: Sequence[str] = ()) -> None:
        """Before loading: anything that makes the bulk tables cheaper to load (`unordered`:
        those whose rows do not come in primary-key order)."""

    def finish(self) -> None:
        """After loading: wait for the loads, put back what prepare() took away."""
        self.flush_all()


class SqliteSink(Sink):
    chunk_rows = 5_000
    timestamp_suffix = ".000000"  # how SQLAlchemy stores a DateTime on SQLite

    def __init__(self, engine) -> None:
        super().__init__()
        self.connection = engine.raw_connection()
        self.connection.execute("PRAGMA foreign_keys = OFF")

    def write(self, writer: Writer, rows: list[tuple]) -> None:
        started = time.perf_counter()
        marks = ", ".join("?" * len(writer.columns))
        self.connection.executemany(
            f"INSERT INTO {writer.table} ({', '.join(writer.columns)}) VALUES ({marks})", rows)
        self.timings.load_seconds[writer.table] += time.perf_counter() - started

    def finish(self) -> None:
        super().finish()
        self.connection.commit()
        self.connection.close()


class MariaDbSink(Sink):
    def __init__(self, url, workdir: str) -> None:
        super().__init__()
        import pymysql

        self.workdir = workdir
        self.chunk = 0
        self.dropped: dict[str, list[str]] = {}
        self.nullable: dict[str, set[str]] = {}
        arguments = dict(host=url.host or "127.0.0.1", port=url.port or 3306, user=url.username or "root",
                         password=url.password or "", database=url.database, charset="utf8mb4",
                         local_infile=True, autocommit=True)
        self.control = pymysql.connect(**arguments)
        self.loaders = [pymysql.connect(**arguments) for _ in range(LOADERS)]
        for connection in (self.control, *self.loaders):
            with connection.cursor() as cursor:
                cursor.execute("SET SESSION foreign_key_checks = 0, unique_checks = 0")
        self.files: queue.Queue = queue.Queue(maxsize=2 * LOADERS)
        self.failure: BaseException | None = None
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._load_files, args=(loader,), daemon=True)
                        for loader in self.loaders]
        for thread in self.threads:
            thread.start()

    def write(self, writer: Writer, rows: list[tuple]) -> None:
        with self._chunk_file(writer) as out:
            # the C writer: None becomes an empty field, which the load turns back into NULL
            csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE,
                       escapechar="\\").writerows(rows)
        self.files.put((writer.table, self._load_columns(writer), out.name))

    def write_text(self, writer: TextWriter, text: str) -> None:
        with self._chunk_file(writer) as out:
            out.write(text)
        self.files.put((writer.table, self._load_columns(writer), out.name))

    def _chunk_file(self, writer: Writer):
        if self.failure is not None:
            raise RuntimeError(f"loading failed: {self.failure}") from self.failure
        self.chunk += 1
        return open(os.path.join(self.workdir, f"{writer.table}.{self.chunk}.tsv"), "w", encoding="utf-8", newline="")

    def _load_columns(self, writer: Writer) -> str:
        """The LOAD DATA column list: nullable columns through a variable, NULL when empty (no
        nullable column is ever given an empty string)."""
        if writer.table not in self.nullable:
            with self.control.cursor() as cursor:
                cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() "
                               "AND table_name = %s AND is_nullable = 'YES'", (writer.table,))
                self.nullable[writer.table] = {row[0] for row in cursor.fetchall()}
        nullable = self.nullable[writer.table]
        names = ", ".join(f"@{column}" if column in nullable else f"`{column}`" for column in writer.columns)
        setting = ", ".join(f"`{column}` = NULLIF(@{column}, '')" for column in writer.columns if column in nullable)
        return f"({names})" + (f" SET {setting}" if setting else "")

    def _load_files(self, loader) -> None:
        while True:
            task = self.files.get()
            if task is None:
                return
            table, column_list, path = task
            try:
                if self.failure is None:
                    started = time.perf_counter()
                    with loader.cursor() as cursor:
                        cursor.execute(
                            f"LOAD DATA LOCAL INFILE '{path}' INTO TABLE `{table}` CHARACTER SET utf8mb4 "
                            f"FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' {column_list}")
                        cursor.execute("SELECT @@warning_count")
                        if cursor.fetchone()[0]:  # LOCAL turns errors (a too long value...) into warnings
                            cursor.execute("SHOW WARNINGS LIMIT 5")
                            raise RuntimeError(f"{table}: {cursor.fetchall()}")
                    with self.lock:
                        self.timings.load_seconds[table] += time.perf_counter() - started
            except BaseException as exc:  # reported by the generating thread
                self.failure = exc
            finally:
                os.unlink(path)

    def prepare(self, tables: Sequence[str], unordered: Sequence[str] = ()) -> None:
        """Drop the secondary indexes of the bulk tables, and the primary key of the unordered
        ones (their definitions kept for finish())."""
        with self.control.cursor() as cursor:
            for table in unordered:
                cursor.execute("SELECT column_name FROM information_schema.statistics WHERE table_schema = DATABASE() "
                               "AND table_name = %s AND index_name = 'PRIMARY' ORDER BY seq_in_index", (table,))
                columns = ", ".join(f"`{row[0]}`" for row in cursor.fetchall())
                cursor.execute(f"ALTER TABLE `{table}` DROP PRIMARY KEY")
                self.dropped[table] = [f"ADD PRIMARY KEY ({columns})"]
            for table in tables:
                cursor.execute(
                    "SELECT index_name, non_unique, column_name, sub_part FROM information_schema.statistics "
                    "WHERE table_schema = DATABASE() AND table_name = %s AND index_name <> 'PRIMARY' "
                    "ORDER BY index_name, seq_in_index", (table,))
                indexes: dict[str, list] = {}
                unique: dict[str, bool] = {}
                for name, non_unique, column, sub_part in cursor.fetchall():
                    indexes.setdefault(name, []).append(f"`{column}`" + (f"({sub_part})" if sub_part else ""))
                    unique[name] = not non_unique
                if not indexes:
                    continue
                self.dropped.setdefault(table, []).extend(
                    f"ADD {'UNIQUE ' if unique[name] else ''}INDEX `{name}` ({', '.join(columns)})"
                    for name, columns in indexes.items())
                cursor.execute(f"ALTER TABLE `{table}` " + ", ".join(f"DROP INDEX `{name}`" for name in indexes))

    def finish(self) -> None:
        super().finish()
        for _thread in self.threads:
            self.files.put(None)
        for thread in self.threads:
            thread.join()
        if self.failure is not None:
            raise RuntimeError(f"loading failed: {self.failure}") from self.failure
        self._put_indexes_back()
        self.control.close()
        for loader in self.loaders:
            loader.close()

    def _put_indexes_back(self) -> None:
        """One ALTER per table, on the loaders' connections at once, the biggest work first
        (an ALTER's sort runs on one core of the server; two keep both busy)."""
        work = sorted(self.dropped.items(), key=lambda pair: -self.timings.rows[pair[0]] * len(pair[1]))

        def alter_on(connection):
            def alter(item: tuple[str, list[str]]) -> None:
                table, additions = item
                started = time.perf_counter()
                with connection.cursor() as cursor:
                    cursor.execute(f"ALTER TABLE `{table}` " + ", ".join(additions))
                with self.lock:
                    self.timings.index_seconds[table] += time.perf_counter() - started
            return alter

        drain(work, [alter_on(loader) for loader in self.loaders])
