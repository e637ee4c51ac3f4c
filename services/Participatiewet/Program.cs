using SocialDomain.Provisions;
using SocialDomain.ServiceDefaults;

return await PlatformHost.RunAsync(() => LawService.Build(args, SocialDomain.Participatiewet.ParticipatiewetLaw.Definition));
