namespace PaduHub.Identity;

/// <summary>What a MyKad number says about its holder, once it has passed the structural checks.</summary>
public readonly record struct MyKadFacts(string Number, DateOnly DateOfBirth, string PlaceOfBirthCode, bool IsMale);
