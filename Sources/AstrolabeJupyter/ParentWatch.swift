import Foundation

/// Tells when the process that started the kernel has gone, so an orphaned kernel can stop — as
/// ipykernel's ParentPollerUnix does. jupyter_client puts its own pid in `JPY_PARENT_PID` when it
/// launches a kernel; without it (a kernel started by hand) nothing is watched, as in ipykernel.
///
/// When the named process is the kernel's parent, it is gone once `getppid()` changes (the kernel
/// was handed to init or to a subreaper). When something stands between them (a wrapper script),
/// it is gone once no process has that pid.
public struct ParentWatch: Sendable {
    public let parent: pid_t
    private let isDirectParent: Bool

    /// nil when nothing is to be watched: no `JPY_PARENT_PID`, or init (pid 1, which never goes away).
    public init?(environment: [String: String], currentParent: pid_t = getppid(), log: (String) -> Void) {
        guard let text = environment["JPY_PARENT_PID"], !text.isEmpty else { return nil }
        guard let pid = pid_t(text), pid > 0 else {
            log("warning: JPY_PARENT_PID=\(text) is not a process id: the kernel will not stop when Jupyter does")
            return nil
        }
        guard pid != 1 else { return nil }
        parent = pid
        isDirectParent = pid == currentParent
    }

    public func parentIsGone() -> Bool {
        if isDirectParent { return getppid() != parent }
        return kill(parent, 0) == -1 && errno == ESRCH
    }
}
