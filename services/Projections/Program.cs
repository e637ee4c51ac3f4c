using SocialDomain.ServiceDefaults;

return await PlatformHost.RunAsync(() => SocialDomain.Projections.ProjectionsService.Build(args));
