#if canImport(Glibc)
    import Glibc
#endif

/// Raises the process's soft limit on open files to its hard limit, as Go's runtime does for every
/// server. Each client connection takes a descriptor; with the usual soft limit of 1,024, a
/// thousand idle connections (a misbehaving sender's pool, or an attack) left the server unable to
/// accept anyone until they timed out.
enum OpenFileLimit {
    /// The soft limit in force afterwards.
    @discardableResult
    static func raise() -> UInt64 {
        #if canImport(Glibc)
            var limit = rlimit()
            guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
            // An unlimited hard limit cannot be the soft one for descriptors: Linux caps it (nr_open).
            let wanted = min(limit.rlim_max, 1 << 20)
            if limit.rlim_cur < wanted {
                var raised = limit
                raised.rlim_cur = wanted
                if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { return UInt64(wanted) }
            }
            return UInt64(limit.rlim_cur)
        #else
            return 0
        #endif
    }
}
