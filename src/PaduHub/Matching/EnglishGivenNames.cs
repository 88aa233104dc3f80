namespace PaduHub.Matching;

/// <summary>
/// Common English given names Malaysians take beside their own (JASON TAN, CHERYL NG), by the sex they nearly always
/// belong to. Names used for both (JAMIE, CHRIS) and names that are also surnames or Malay words (LEE, KIM, MAY) are
/// left out: an unknown name says nothing.
/// </summary>
public static class EnglishGivenNames
{
    static readonly HashSet<string> s_men = new(
    [
        "AARON", "ADAM", "ADRIAN", "ALAN", "ALBERT", "ALEXANDER", "ALFRED", "ALVIN", "ANDREW", "ANDY", "ANTHONY", "ARTHUR",
        "BENJAMIN", "BENNY", "BERNARD", "BRANDON", "BRIAN", "BRYAN", "CALVIN", "CHARLES", "CHRISTOPHER", "COLIN", "DANIEL",
        "DANNY", "DARREN", "DAVID", "DENNIS", "DEREK", "DOMINIC", "EDMUND", "EDWARD", "EDWIN", "ERIC", "EUGENE", "FRANCIS",
        "FREDERICK", "GABRIEL", "GARY", "GEORGE", "GERALD", "GILBERT", "GORDON", "HENRY", "HOWARD", "ISAAC", "IVAN", "JACK",
        "JACKSON", "JAMES", "JASON", "JEFFREY", "JEREMY", "JEROME", "JOHN", "JOHNNY", "JOHNSON", "JONATHAN", "JOSEPH",
        "JOSHUA", "JUSTIN", "KELVIN", "KENNETH", "KEVIN", "LAWRENCE", "LEONARD", "MARCUS", "MARK", "MARTIN", "MATTHEW",
        "MELVIN", "MICHAEL", "NATHAN", "NELSON", "NICHOLAS", "OSCAR", "PATRICK", "PAUL", "PETER", "PHILIP", "RAYMOND",
        "RICHARD", "ROBERT", "RONALD", "RYAN", "SAMUEL", "SIMON", "STANLEY", "STEPHEN", "STEVEN", "TERENCE", "THOMAS",
        "TIMOTHY", "VICTOR", "VINCENT", "WILLIAM", "WILSON",
    ], StringComparer.Ordinal);

    static readonly HashSet<string> s_women = new(
    [
        "ADELINE", "AGNES", "ALICE", "AMANDA", "ANGELA", "ANGELINE", "ANNA", "ANNE", "ANNIE", "AUDREY", "BARBARA", "BETTY",
        "CAROL", "CAROLINE", "CATHERINE", "CELINE", "CHERYL", "CHRISTINA", "CHRISTINE", "CINDY", "CLAIRE", "CONNIE",
        "CYNTHIA", "DAISY", "DIANA", "DOROTHY", "ELAINE", "ELIZABETH", "EMILY", "ESTHER", "EVELYN", "FIONA", "FLORENCE",
        "GLORIA", "GRACE", "HANNAH", "HELEN", "IRENE", "JACQUELINE", "JANE", "JANET", "JANICE", "JASMINE", "JENNIFER",
        "JENNY", "JESSICA", "JOANNE", "JOCELYN", "JOYCE", "JUDY", "JULIA", "JULIE", "KAREN", "KATHERINE", "LILY", "LINDA",
        "LISA", "LUCY", "MAGDALENE", "MARGARET", "MARIA", "MARY", "MELISSA", "MICHELLE", "MONICA", "NANCY", "NICOLE",
        "PATRICIA", "PAULINE", "PEGGY", "PRISCILLA", "RACHEL", "REBECCA", "RITA", "ROSE", "RUTH", "SABRINA", "SANDRA",
        "SARAH", "SHARON", "SHIRLEY", "SOPHIA", "STELLA", "STEPHANIE", "SUSAN", "SYLVIA", "TERESA", "TIFFANY", "VALERIE",
        "VANESSA", "VERONICA", "VICTORIA", "VIVIAN", "WENDY", "YVONNE",
    ], StringComparer.Ordinal);

    /// <summary>'M' or 'F' for a name in the lists (upper case, as names are normalised), else '\0'.</summary>
    public static char SexOf(string given) => s_men.Contains(given) ? 'M' : s_women.Contains(given) ? 'F' : '\0';
}
