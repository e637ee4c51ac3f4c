using SocialDomain.ServiceDefaults;

return await PlatformHost.RunAsync(() => SocialDomain.Households.HouseholdsService.Build(args));
