/// Replies shaped as the contract's examples, with the oddities real servers send.
enum Fixtures {
    static let authConfigPage = #"""
        {"items":[
          {"id":"ac_1","uuid":"u1","type":"custom","toolkit":{"slug":"sendgrid","logo":"x"},"name":"SendGrid","auth_scheme":"API_KEY",
           "is_composio_managed":false,"status":"ENABLED","no_of_connections":3,"tool_access_config":{},"brand_new_field":{"a":1}},
          {"id":"ac_2","uuid":"u2","type":"default","toolkit":{"slug":"mystery","logo":"x"},"name":"Mystery","auth_scheme":"FUTURE_SCHEME",
           "status":"DISABLED","no_of_connections":0.0,"tool_access_config":{},"shared_credentials":{"generic_api_key":"REDACTED"}}
        ],"next_cursor":"bmV4dA==","total_pages":1,"current_page":1,"total_items":2}
        """#

    static let toolkit = #"""
        {"slug":"firecrawl","name":"Firecrawl","enabled":true,"is_local_toolkit":false,
         "meta":{"description":"d","logo":"l","categories":[],"triggers_count":0,"tools_count":1,"version":"v","available_versions":[],"created_at":"","updated_at":""},
         "deprecated":{"toolkitId":"t","rawProxyInfoByAuthSchemes":[]},
         "auth_config_details":[
          {"mode":"OAUTH2","name":"OAuth","fields":{"auth_config_creation":{"required":[],"optional":[]},"connected_account_initiation":{"required":[],"optional":[]}}},
          {"mode":"api_key","name":"API Key","fields":{
            "auth_config_creation":{"required":[],"optional":[]},
            "connected_account_initiation":{
              "required":[
                {"name":"full","displayName":"Base URL","type":"string","description":"API base","required":true,"default":"https://api.firecrawl.dev","is_secret":false},
                {"name":"generic_api_key","displayName":"API Key","type":"string","description":"","required":false}
              ],
              "optional":[{"name":"timeout","displayName":"Timeout","type":"number","description":"","required":true,"default":30}]}}}
         ]}
        """#

    static let createReply = #"""
        {"id":"ca_new","connectionData":{"authScheme":"API_KEY","val":{"status":"ACTIVE","generic_api_key":"sk-abc"}},
         "status":"ACTIVE","redirect_url":null,"redirect_uri":null,"deprecated":{"uuid":"x","authConfigUuid":"y"}}
        """#

    static let emptyAccountPage = #"{"items":[],"next_cursor":null,"total_pages":1,"current_page":1,"total_items":0}"#

    /// A page holding one account with `id` for user u1.
    static func accountPage(_ id: String) -> String {
        #"{"items":[{"id":"\#(id)","user_id":"u1","status":"ACTIVE","status_reason":null,"is_disabled":false,"toolkit":{"slug":"sendgrid"},"auth_config":{"id":"ac_1"}}],"next_cursor":null,"total_pages":1,"current_page":1,"total_items":1}"#
    }

    static func account(_ id: String) -> String {
        #"{"id":"\#(id)","user_id":"u1","status":"ACTIVE","status_reason":null,"is_disabled":false,"toolkit":{"slug":"sendgrid"},"auth_config":{"id":"ac_1"}}"#
    }

    static let connectedAccount = #"""
        {"id":"ca_x","user_id":"u1","status":"FAILED","status_reason":"Max auth failures reached","is_disabled":false,
         "toolkit":{"slug":"sendgrid"},"auth_config":{"id":"ac_1","auth_scheme":"API_KEY","is_composio_managed":false,"is_disabled":false},
         "state":{"authScheme":"API_KEY","val":{"status":"FAILED","api_key":"echoed-secret"}},
         "data":{"api_key":"echoed-secret"},"params":{"api_key":"echoed-secret"},
         "created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        """#
}
