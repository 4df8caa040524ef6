/// A reason the program cannot start or finish a command, said in one line to the operator, with what to do.
public struct StartupError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
