import ComposioAPI
import Foundation
import Hummingbird

/// `GET /auth/session/info`: who the key belongs to. The key itself is returned masked.
extension SandboxRoutes {
    @Sendable func sessionInfo(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let project = try context.requireProject()
        let created = Self.timestamp(project.createdAt)
        let presented = APIKeyMiddleware.presentedKey(request.headers) ?? ""
        let masked = String(presented.prefix(3)) + String(repeating: "*", count: max(0, presented.count - 7)) + String(presented.suffix(4))
        let reply: JSONValue = .object([
            "project": .object([
                "auto_id": .number(1), "id": .string(project.id), "org_id": .string(project.orgId),
                "name": .string(project.name), "email": .string("sandbox@localhost"), "nano_id": .string(project.id),
                "created_at": .string(created), "updated_at": .string(created),
                "webhook_url": .null, "event_webhook_url": .null, "webhook_secret": .null,
                "triggers_enabled": .bool(false), "last_subscribed_at": .null, "deleted": .bool(false),
                "is_new_webhook": .bool(false), "webhook_version": .string("V1"),
                "org": .object(["id": .string(project.orgId), "name": .string(project.orgName), "plan": .string("sandbox")]),
            ]),
            "api_key": .object([
                "auto_id": .number(1), "id": .string("key_" + project.id), "name": .string(context.readOnly ? "read-only" : "default"),
                "project_id": .string(project.id), "org_member_id": .string("mem_sandbox"),
                "created_at": .string(created), "updated_at": .string(created), "deleted_at": .null,
                "key": .string(masked), "deleted": .bool(false),
            ]),
            "org_member": .object([
                "id": .string("mem_sandbox"), "email": .string("sandbox@localhost"), "name": .string("Sandbox user"), "role": .string("ADMIN"),
            ]),
        ])
        return try JSONResponse.make(reply)
    }
}
