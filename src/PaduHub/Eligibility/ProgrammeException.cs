namespace PaduHub.Eligibility;

/// <summary>A programme file that cannot be used, with the file and the place in it.</summary>
public sealed class ProgrammeException(string message) : Exception(message);
