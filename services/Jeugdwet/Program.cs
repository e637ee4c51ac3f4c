using SocialDomain.Provisions;
using SocialDomain.ServiceDefaults;

return await PlatformHost.RunAsync(() => LawService.Build(args, SocialDomain.Jeugdwet.JeugdwetLaw.Definition));
