public struct RenderStage: PipelineStage {
    public let name = "render"
    public init() {}
    public func run(_ context: PipelineContext) throws -> String { "todo" }
}
