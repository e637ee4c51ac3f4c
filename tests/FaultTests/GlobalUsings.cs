global using Shouldly;
global using Xunit;

// Each test runs a whole platform on the machine's cores; two at once would disturb each other's timings.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
