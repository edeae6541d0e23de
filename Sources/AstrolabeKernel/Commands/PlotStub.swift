extension Session {
    func plot(_ command: ParsedCommand) throws -> [Output] { throw CommandError("plot pending") }
}
