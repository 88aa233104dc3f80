using System.Diagnostics;

namespace PaduHub.Matching;

/// <summary>A whole matching run over records in memory: block, train, score, cluster.</summary>
public static class Linkage
{
    /// <param name="records">the run's records</param>
    /// <param name="settings">blocking and decision settings</param>
    /// <param name="model">a trained model to score with; null trains one</param>
    /// <param name="mustLink">steward decisions: these pairs are one person</param>
    /// <param name="cannotLink">steward decisions: these pairs are never one person</param>
    /// <param name="again">an earlier run over the same records whose candidates and compared levels still hold (a run
    /// again with a refined model): blocking and comparing are not done twice</param>
    /// <param name="besideScoring">work that needs only the compared pairs and the model (match-csv's pairs file): it runs
    /// on a thread of its own while the pairs are scored and clustered, and has finished when Run returns</param>
    public static LinkageResult Run(IReadOnlyList<MatchRecord> records, MatchSettings settings, MatchModel? model = null,
        IReadOnlyList<(int A, int B)>? mustLink = null, IReadOnlyList<(int A, int B)>? cannotLink = null, LinkageResult? again = null,
        Action<ComparedPairs>? besideScoring = null)
    {
        var seconds = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        var (candidates, passes, blocking) = again is null ? CandidateIndex.Pairs(records, settings) : (again.Candidates, again.CandidatePasses, again.Blocking);
        seconds["blocking"] = Lap(clock);
        seconds["blocking_index"] = blocking.IndexSeconds;
        seconds["blocking_queries"] = blocking.QuerySeconds;

        // Each candidate pair is compared once, for training and scoring both.
        var comparisons = model?.Comparisons ?? Comparisons.For(records);
        var patterns = again is not null && again.Model.Comparisons.SequenceEqual(comparisons) ? again.Patterns
            : LevelPatterns.Of(records, candidates, comparisons);
        seconds["comparing"] = Lap(clock);
        model ??= ModelTraining.Train(records, candidates, comparisons, settings.RandomPairs, pairPatterns: patterns,
            acrossSourcesOnly: settings.AcrossSourcesOnly);
        seconds["training"] = Lap(clock);

        // Work beside scoring (match-csv's pairs file) reads every pair's weight too: then each pair is weighed once, for both.
        var weights = besideScoring is null ? null : Weights(records, candidates, patterns, model);
        var beside = besideScoring is null ? null
            : Task.Factory.StartNew(() => besideScoring(new ComparedPairs(records, candidates, passes, patterns, model, weights)), TaskCreationOptions.LongRunning);
        List<ScoredPair> scored;
        ModelEstimate estimate;
        Clustering.Result clusters;
        try
        {
            (scored, estimate) = Score(records, candidates, patterns, model, settings, weights);
            seconds["scoring"] = Lap(clock);
            clusters = Clustering.Cluster(records, scored, model, settings, mustLink, cannotLink);
            seconds["clustering"] = Lap(clock);
        }
        finally
        {
            beside?.ContinueWith(_ => { }, TaskScheduler.Default).Wait(); // nothing is left running when scoring fails
        }
        beside?.GetAwaiter().GetResult();
        return new LinkageResult(records, clusters.ClusterOf, candidates, scored, clusters.Review, model, blocking, seconds, patterns, passes, estimate);
    }

    /// <summary>Every candidate pair's weight, on every core.</summary>
    static double[] Weights(IReadOnlyList<MatchRecord> records, IReadOnlyList<(int A, int B)> candidates, ulong[] patterns, MatchModel model)
    {
        var weights = new double[candidates.Count];
        var partitions = Environment.ProcessorCount;
        Parallel.For(0, partitions, p =>
        {
            for (var k = p; k < weights.Length; k += partitions)
            {
                weights[k] = model.Weight(patterns[k], records[candidates[k].A]);
            }
        });
        return weights;
    }

    /// <summary>
    /// Scores candidate pairs, compared already (and weighed, where <paramref name="weights"/> is given), on every core;
    /// pairs far below the review threshold are dropped, not kept, but every pair counts in the model's own estimate of the run.
    /// </summary>
    public static (List<ScoredPair> Pairs, ModelEstimate Estimate) Score(IReadOnlyList<MatchRecord> records, IReadOnlyList<(int A, int B)> candidates,
        ulong[] patterns, MatchModel model, MatchSettings settings, double[]? weights = null)
    {
        var (linkWeight, reviewWeight) = (Clustering.Weight(settings.LinkProbability), Clustering.Weight(settings.ReviewProbability));
        var keepAbove = reviewWeight - 10;
        var partitions = Environment.ProcessorCount;
        var partial = new List<ScoredPair>[partitions];
        var tallies = new ModelEstimate.Tally[partitions];
        Parallel.For(0, partitions, p =>
        {
            var local = new List<ScoredPair>();
            var tally = new ModelEstimate.Tally();
            for (var k = p; k < candidates.Count; k += partitions)
            {
                var (a, b) = candidates[k];
                var weight = weights?[k] ?? model.Weight(patterns[k], records[a]);
                tally.Add(weight, linkWeight, reviewWeight);
                if (weight >= keepAbove)
                {
                    local.Add(model.Score(patterns[k], records[a], records[b]));
                }
            }
            partial[p] = local;
            tallies[p] = tally;
        });
        return (partial.SelectMany(l => l).ToList(), ModelEstimate.Tally.Sum(tallies, settings));
    }

    static double Lap(Stopwatch clock)
    {
        var s = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return Math.Round(s, 3);
    }
}
