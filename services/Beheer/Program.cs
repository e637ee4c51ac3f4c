using SocialDomain.Beheer;

return args is ["views", ..]
    ? await ViewsCommand.Run(args, Console.Out, Console.Error)
    : await ErrorQueueCommand.Run(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable("ConnectionStrings__RabbitMq"));
