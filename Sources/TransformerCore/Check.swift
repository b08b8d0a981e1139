/// Stops the program with `message` reported at the caller's `file:line` when `condition` is false.
///
/// Unlike `precondition`, the message is printed in optimized builds too, so a notebook author
/// sees `notebooks/05-attention.md:14: Fatal error: attention: Q is 4×8 but K is 5×6`.
@inline(__always)
func require(
    _ condition: Bool, _ message: @autoclosure () -> String,
    _ file: StaticString, _ line: UInt
) {
    if !condition { fail(message(), file, line) }
}

/// Stops the program with `message` at `file:line`.
func fail(_ message: String, _ file: StaticString, _ line: UInt) -> Never {
    fatalError(message, file: file, line: line)
}
