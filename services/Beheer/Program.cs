using SocialDomain.Beheer;

return await ErrorQueueCommand.Run(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable("ConnectionStrings__RabbitMq"));
