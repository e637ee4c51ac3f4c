await SocialDomain.Households.HouseholdsService.Build(args).RunAsync();
