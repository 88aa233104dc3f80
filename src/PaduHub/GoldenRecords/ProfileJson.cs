using System.Text.Json.Serialization;
using PaduHub.Eligibility;
using PaduHub.Households;

namespace PaduHub.GoldenRecords;

/// <summary>
/// Compiled JSON for what the read API reads and writes thousands of times a second: golden attributes with their
/// lineage, profiles, households and eligibility answers. Reflection-based serialization cost a third of a request.
/// </summary>
[JsonSerializable(typeof(Dictionary<string, AttributeLineage>))]
[JsonSerializable(typeof(List<ProfileIdentifier>))]
[JsonSerializable(typeof(PersonProfile))]
[JsonSerializable(typeof(HouseholdProfile))]
[JsonSerializable(typeof(EligibilityAnswer))]
[JsonSerializable(typeof(BatchLine))]
[JsonSerializable(typeof(ChangePage))]
[JsonSerializable(typeof(decimal))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string))]
public sealed partial class ProfileJson : JsonSerializerContext;
