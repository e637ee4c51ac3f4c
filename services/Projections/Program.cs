await SocialDomain.Projections.ProjectionsService.Build(args).RunAsync();
