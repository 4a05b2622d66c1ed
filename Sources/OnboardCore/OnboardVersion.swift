/// The release this build is.
public enum OnboardVersion {
    public static let current = "0.1.0"
}
