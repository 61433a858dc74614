import ArgumentParser
import Foundation
import MusterApp

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the SQLite database to a new file, consistently, while the server keeps running.",
        discussion: """
            Restore by stopping the server and putting the copy in place of the database file (and removing \
            its -wal and -shm files). To look at a copy without paging anyone, serve it with --no-paging.
            """)

    @OptionGroup var options: ServerOptions
    @Argument(help: "The new file to write; it must not exist.") var file: String

    func run() async throws {
        let config = try options.load()
        let path = URL(fileURLWithPath: file).path
        try await withStore(config) { store in
            try await store.backup(to: path)
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            print("Backed up \(StoreFactory.describe(config.database)) to \(path) (\(size / 1_024) KiB).")
        }
    }
}
