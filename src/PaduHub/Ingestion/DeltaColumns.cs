namespace PaduHub.Ingestion;

public sealed record DeltaColumns
{
    public string Operation { get; init; } = "OP";
    public string Sequence { get; init; } = "SEQ";
    public string Insert { get; init; } = "I";
    public string Update { get; init; } = "U";
    public string Delete { get; init; } = "D";
}
