using SocialDomain.Embedded;

return await EmbeddedCommandLine.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
