using PaduHub.Ingestion;
using PaduHub.Samples.Agencies;

namespace PaduHub.Tests.Ingestion;

/// <summary>The generator writes what the contracts describe: column for column, encoding, delimiter and file names.</summary>
public sealed class ContractTests
{
    static readonly AgencyContracts s_contracts = AgencyContracts.Load();

    static IEnumerable<Agency> GeneratedAgencies() => Agency.All;

    [TestCaseSource(nameof(GeneratedAgencies))]
    public void Contract_matches_the_generated_layout(Agency agency)
    {
        var contract = s_contracts.For(agency.Code);

        Assert.That(contract.Columns.Select(c => c.Name), Is.EqualTo(agency.Header));
        Assert.That(contract.Separator, Is.EqualTo(agency.Delimiter));
        Assert.That(contract.TextEncoding.CodePage, Is.EqualTo(agency.Encoding.CodePage));
        Assert.That(contract.Classify($"{agency.FileStem}_full.{agency.Extension}"), Is.EqualTo(("full", (int?)null)));
        Assert.That(contract.Classify($"{agency.FileStem}_delta_0042.{agency.Extension}"), Is.EqualTo(("delta", (int?)42)));
    }

    [Test]
    public void A_broken_contract_is_refused_with_the_file_and_the_reason()
    {
        const string json = """
            { "agency": "ABC", "name": "x", "encoding": "utf-8", "delimiter": ",", "key": ["K"], "fullFile": "f", "deltaFile": "d",
              "columns": [ { "name": "K", "field": "no_such_field" } ] }
            """;

        Assert.That(() => AgencyContract.Parse(json, "ABC.contract.json"),
            Throws.TypeOf<ContractException>().With.Message.EqualTo("ABC.contract.json: column K maps to unknown field 'no_such_field'"));
    }
}
