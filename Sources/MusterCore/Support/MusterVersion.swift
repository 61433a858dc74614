/// The version of this build: the one place it is set. `muster --version`, `GET /version`, the
/// start-up line and the `Server` header all read it from here.
public enum MusterVersion {
    public static let number = "0.6.0-dev"
}
