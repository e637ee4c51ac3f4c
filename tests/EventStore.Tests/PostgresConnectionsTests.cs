using Npgsql;

namespace SocialDomain.EventStore.Tests;

public sealed class PostgresConnectionsTests
{
    private const string Plain = "Host=127.0.0.1;Username=platform;Password=platform;Database=platform";

    [Fact]
    public void A_pool_sends_no_reset_and_the_stores_prepare_after_a_second_use()
    {
        var store = new NpgsqlConnectionStringBuilder(PostgresConnections.Tuned(Plain, autoPrepare: true));
        store.NoResetOnClose.ShouldBeTrue();
        store.MaxAutoPrepare.ShouldBe(32);
        store.AutoPrepareMinUsages.ShouldBe(2);

        var other = new NpgsqlConnectionStringBuilder(PostgresConnections.Tuned(Plain, autoPrepare: false));
        other.NoResetOnClose.ShouldBeTrue();
        other.MaxAutoPrepare.ShouldBe(0);
    }

    [Theory]
    [InlineData(";No Reset On Close=false;Max Auto Prepare=0")]
    [InlineData(";noresetonclose=false;MaxAutoPrepare=0")]
    public void What_the_connection_string_says_is_kept(string written)
    {
        var tuned = new NpgsqlConnectionStringBuilder(PostgresConnections.Tuned(Plain + written, autoPrepare: true));
        tuned.NoResetOnClose.ShouldBeFalse();
        tuned.MaxAutoPrepare.ShouldBe(0);
        tuned.Host.ShouldBe("127.0.0.1");
    }
}
