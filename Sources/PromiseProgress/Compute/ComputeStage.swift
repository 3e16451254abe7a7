public struct ComputeStage: PipelineStage {
    public let name = "compute"
    public init() {}
    public func run(_ context: PipelineContext) throws -> String { "todo" }
}
