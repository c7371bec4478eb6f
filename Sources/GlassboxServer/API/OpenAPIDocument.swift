import Foundation

/// The OpenAPI 3.1 description of the API, served at `/api/openapi.json`: `Resources/openapi.json`, written by hand
/// and embedded in the binary at build time (no resource bundle to find at run time). A test checks that its paths
/// and methods are exactly the router's and runs every operation with its example values.
enum OpenAPIDocument {
    static let data = Data(PackageResources.openapi_json)
}
