import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';
import { ROLES, Role } from '../../common/actor';
import { IsOptionalNotNull } from '../../common/validation';
import { IsStrongPassword } from '../../auth/password';

export class CreateUserDto {
  @ApiProperty({ example: 'liannan.jijian', description: 'Login name: letters, digits, . _ -' })
  @IsDefined()
  @IsString()
  @MaxLength(50)
  @Matches(/^[A-Za-z0-9._-]{3,50}$/, { message: 'USERNAME_INVALID' })
  username: string;

  @ApiProperty({
    example: 'Initial-Pass-2026',
    description: 'At least 8 characters with a letter and a digit',
  })
  @IsDefined()
  @IsString()
  @MaxLength(200)
  @IsStrongPassword()
  password: string;

  @ApiProperty({
    enum: ROLES,
    description:
      'admin · finance (budgets, funding, payments) · infrastructure (project data, status, progress, milestones) · viewer',
  })
  @IsDefined()
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({
    example: 3,
    nullable: true,
    description:
      'Region the user is scoped to (with everything below it); null = all (admins only)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  regionId?: number | null;
}

export class UpdateUserDto {
  @ApiProperty({ example: 1, description: 'The version read; a stale one gets 409' })
  @IsDefined()
  @IsInt()
  @Min(1)
  version: number;

  @ApiPropertyOptional({ enum: ROLES, description: 'New role' })
  @IsOptionalNotNull()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({
    nullable: true,
    description: 'New region scope; null = all (admins only)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  regionId?: number | null;

  @ApiPropertyOptional({ description: 'Disable (true) or re-enable (false) the account' })
  @IsOptionalNotNull()
  @IsBoolean()
  disabled?: boolean;
}

export class ResetPasswordDto {
  @ApiProperty({
    example: 'New-Pass-2026',
    description: 'The new password: at least 8 characters with a letter and a digit',
  })
  @IsDefined()
  @IsString()
  @MaxLength(200)
  @IsStrongPassword()
  password: string;
}
