import Foundation
import Testing

@testable import OnboardCore

@Suite("The process environment, read from environ")
struct ProcessEnvironmentTests {
    @Test("names and values as the C library holds them: '=' inside a value, empty values, the same as ProcessInfo")
    func readsEnviron() {
        setenv("ONBOARD_TEST_EQUALS", "a=b=c", 1)
        setenv("ONBOARD_TEST_EMPTY", "", 1)
        defer {
            unsetenv("ONBOARD_TEST_EQUALS")
            unsetenv("ONBOARD_TEST_EMPTY")
        }
        let environment = ProcessEnvironment.current()
        #expect(environment["ONBOARD_TEST_EQUALS"] == "a=b=c")
        #expect(environment["ONBOARD_TEST_EMPTY"] == "")
        #expect(environment["ONBOARD_TEST_UNSET"] == nil)
        #expect(environment == ProcessInfo.processInfo.environment)
    }
}
