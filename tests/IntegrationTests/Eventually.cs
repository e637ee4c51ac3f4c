namespace SocialDomain.IntegrationTests;

public static class Eventually
{
    /// <summary>
    /// Polls until the condition holds; the flow through relay and bus is asynchronous by design. A read or check
    /// that throws (a 404 before the event arrived) counts as "not yet"; after the deadline the last value or
    /// error is returned to the assertion.
    /// </summary>
    public static async Task<T> Get<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            try
            {
                var value = await read();
                if (Holds(done, value) || DateTime.UtcNow > deadline) return value;
            }
            catch (Exception) when (DateTime.UtcNow <= deadline)
            {
            }
            await Task.Delay(50);
        }
    }

    private static bool Holds<T>(Func<T, bool> done, T value)
    {
        try
        {
            return done(value);
        }
        catch (Exception)
        {
            return false;
        }
    }
}
