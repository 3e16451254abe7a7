/// Every data stream, in the order extract reads them. Adding a stream is one folder under
/// `Sources/PromiseProgress/Streams/` (its declaration and its `sql/` files, the folder listed in
/// Package.swift's resources) and one line here.
public enum StreamRegistry {
    public static let all: [DataStream] = [
        .childLevel,
        .publishedTables,
        .experiential,
        .qualitative,
    ]

    /// Every table a document reader fills (sections, statements...), in reading order.
    public static var parsedTables: [TableSpec] { all.flatMap(\.parsedTables) }

    /// Every input file of every stream, in reading order.
    public static var files: [StreamFile] { all.flatMap(\.files) }

    /// The top-level folders of the input folder that streams read (`quantitative`, ...), from their
    /// declarations: pages name an input file from its stream folder, however `--input` was given.
    public static let inputFolders: [String] = {
        var folders: [String] = []
        for stream in all {
            let paths = stream.files.map { file -> String in
                switch file.location {
                case .file(let path), .folder(let path): path
                }
            } + stream.documents.map(\.folder)
            for path in paths {
                let top = String(path.split(separator: "/").first ?? Substring(path))
                if !folders.contains(top) { folders.append(top) }
            }
        }
        return folders
    }()

    /// Every clean table, in reading order.
    public static var cleanTables: [TableSpec] { all.flatMap(\.cleanTables) }

    /// Every derived table, in the order load fills them.
    public static var derivedTables: [TableSpec] { all.flatMap(\.derivedTables) }

    /// The file whose rows fill `table`.
    public static func file(filling table: String) -> StreamFile? {
        files.first { $0.table.name == table }
    }
}
