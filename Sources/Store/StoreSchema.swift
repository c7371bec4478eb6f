/// The cache database's schema and its migrations. `PRAGMA user_version` holds the version; migration `i` takes a
/// database from version `i` to `i + 1`, each in one transaction, so a crash mid-migration leaves the old version.
enum StoreSchema {
    static let migrations: [String] = [
        """
        CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            model TEXT NOT NULL,
            prompt TEXT NOT NULL,
            token_ids BLOB NOT NULL,
            options TEXT NOT NULL,
            summary BLOB NOT NULL,
            created REAL NOT NULL,
            last_used REAL NOT NULL,
            bytes INTEGER NOT NULL
        );
        CREATE INDEX runs_by_last_use ON runs(last_used);
        CREATE TABLE traces (
            run_id TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
            data BLOB NOT NULL
        );
        CREATE TABLE results (
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            analysis TEXT NOT NULL,
            parameters TEXT NOT NULL,
            body BLOB NOT NULL,
            PRIMARY KEY (run_id, analysis, parameters)
        );
        """
    ]

    /// The version this build writes.
    static var version: Int { migrations.count }

    /// Brings the database to `version`, or throws if it was written by a newer Glassbox.
    static func migrate(_ connection: SQLiteConnection) throws {
        let current = try connection.integer("PRAGMA user_version")
        guard current <= version else {
            throw StoreError(
                "the cache database \(connection.path) has schema version \(current), newer than this "
                    + "Glassbox's \(version): use a newer Glassbox or another cache path")
        }
        for step in current..<version {
            try connection.transaction {
                try connection.execute(migrations[step])
                try connection.execute("PRAGMA user_version = \(step + 1)")
            }
        }
    }
}
