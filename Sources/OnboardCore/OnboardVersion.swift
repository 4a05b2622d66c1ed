/// The release this build is.
package enum OnboardVersion {
    package static let current = "0.1.0"
}
