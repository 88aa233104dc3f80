// Test classes run side by side (each owns its database); tests inside a class run one after another.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]
